"""Serial (real pseudo-terminal) and network (loopback TCP) transports against a scripted printer end."""

from __future__ import annotations

import os
import select
import socket
import threading
from typing import Callable

import pytest

from devices.printer.document import ReceiptDocument
from devices.printer.printer import ReceiptPrinter
from devices.printer.status import PrinterFault, PrinterStatus
from devices.printer.test_page import test_page
from devices.printer.transports import NetworkTransport, SerialTransport

DLE_EOT = b"\x10\x04"
OK_REPLIES = {1: b"\x12", 2: b"\x12", 4: b"\x12"}


class PrinterEnd:
    """The printer's side of a byte stream: keeps print data, answers DLE EOT n from ``replies``."""

    def __init__(self, read: Callable[[], bytes | None], write: Callable[[bytes], None],
                 replies: dict[int, bytes]) -> None:
        self.read, self.write, self.replies = read, write, replies
        self.data = bytearray()
        self.queries: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="printer-end", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pending = b""
        while not self._stop.is_set():
            chunk = self.read()
            if chunk is None:
                continue
            if chunk == b"":
                return
            pending += chunk
            while (i := pending.find(DLE_EOT)) != -1 and len(pending) >= i + 3:
                self.data += pending[:i]
                n = pending[i + 2]
                self.queries.append(n)
                self.write(self.replies.get(n, b""))
                pending = pending[i + 3 :]
            keep = 2 if pending.endswith(DLE_EOT) else 1 if pending.endswith(b"\x10") else 0
            self.data += pending[: len(pending) - keep]
            pending = pending[len(pending) - keep :]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def pty_printer():
    master, slave = os.openpty()
    ends: list[PrinterEnd] = []

    def read() -> bytes | None:
        if not select.select([master], [], [], 0.05)[0]:
            return None
        try:
            return os.read(master, 4096)
        except OSError:  # the serial side closed
            return b""

    def start(replies: dict[int, bytes]) -> tuple[str, PrinterEnd]:
        end = PrinterEnd(read, lambda data: os.write(master, data), replies)
        ends.append(end)
        return os.ttyname(slave), end

    yield start
    for end in ends:
        end.stop()
    os.close(slave)
    os.close(master)


@pytest.fixture
def tcp_printer():
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    conns: list[socket.socket] = []
    ends: list[PrinterEnd] = []

    def read() -> bytes | None:
        if not conns:
            try:
                conns.append(server.accept()[0])
            except (TimeoutError, OSError):
                return b""
            conns[0].settimeout(0.05)
        try:
            return conns[0].recv(4096)
        except TimeoutError:
            return None
        except OSError:
            return b""

    def start(replies: dict[int, bytes]) -> tuple[int, PrinterEnd]:
        end = PrinterEnd(read, lambda data: conns[0].sendall(data), replies)
        ends.append(end)
        return server.getsockname()[1], end

    yield start
    for end in ends:
        end.stop()
    for conn in conns:
        conn.close()
    server.close()


def serial_printer(port: str, **kw) -> ReceiptPrinter:
    return ReceiptPrinter(SerialTransport(port, 9600, timeout_s=2.0, dsrdtr=False), **kw)


def test_serial_printer_prints_the_test_page_and_reads_near_end(pty_printer):
    port, end = pty_printer({1: b"\x12", 2: b"\x12", 4: b"\x1e"})
    printer = serial_printer(port)
    try:
        result = printer.print(test_page(58))
    finally:
        printer.close()
    end.stop()
    assert bytes(end.data) == printer.render(test_page(58))
    assert end.queries == [1, 2, 4, 1, 2, 4]
    assert result.status_after is PrinterStatus.NEAR_END
    assert result.warnings == ("printer.paper_near_end",)


def test_serial_printer_out_of_paper_gets_no_print_data(pty_printer):
    port, end = pty_printer({1: b"\x1a", 2: b"\x32", 4: b"\x72"})
    printer = serial_printer(port)
    try:
        with pytest.raises(PrinterFault) as info:
            printer.print(ReceiptDocument().text("a"))
    finally:
        printer.close()
    end.stop()
    assert info.value.key == "printer.paper_out"
    assert end.queries == [1, 2, 4]
    assert bytes(end.data) == b""


def test_serial_printer_that_never_answers_status_is_unknown(pty_printer):
    port, end = pty_printer({})
    printer = serial_printer(port, status_timeout_s=0.1)
    try:
        assert printer.status() is PrinterStatus.UNKNOWN
    finally:
        printer.close()


def test_network_printer_prints_and_reads_status(tcp_printer):
    port, end = tcp_printer(OK_REPLIES)
    printer = ReceiptPrinter(NetworkTransport("127.0.0.1", port, timeout_s=5.0), paper_mm=80)
    try:
        result = printer.print(test_page(80))
    finally:
        printer.close()
    end.stop()
    assert bytes(end.data) == printer.render(test_page(80))
    assert (result.status_before, result.status_after) == (PrinterStatus.OK, PrinterStatus.OK)
