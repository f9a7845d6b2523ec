"""Serial scanner through real pseudo-terminals, a writer thread playing the hardware scanner."""

from __future__ import annotations

import os
import threading
import time
import tty

import pytest

from devices.scanner.serial_scanner import SerialScanner
from devices.state import DeviceState

DEADLINE_S = 20.0  # only bounds a failing test


class FakeScannerPort:
    """The hardware end of a pty; the driver opens ``path`` (a symlink, like /dev/serial/by-id)."""

    def __init__(self, path) -> None:
        self.path = path
        self.master = self.slave = -1
        self.plug_in()

    def plug_in(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        if os.path.lexists(self.path):
            os.unlink(self.path)
        os.symlink(os.ttyname(self.slave), self.path)

    def unplug(self) -> None:
        os.unlink(self.path)
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1

    def write(self, *chunks: bytes, pause_s: float = 0.0) -> None:
        """Write ``chunks`` from a thread, as a scanner sends bursts; returns when done."""
        def play() -> None:
            for chunk in chunks:
                os.write(self.master, chunk)
                if pause_s:
                    time.sleep(pause_s)

        writer = threading.Thread(target=play, name="fake-scanner-writer")
        writer.start()
        writer.join(DEADLINE_S)

    def close(self) -> None:
        if self.master >= 0:
            self.unplug()


class Clock:
    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


@pytest.fixture
def port(tmp_path):
    fake = FakeScannerPort(tmp_path / "ttyScanner")
    yield fake
    fake.close()


@pytest.fixture
def scanners():
    made: list[SerialScanner] = []
    yield made
    for scanner in made:
        scanner.close()
    assert not any(s.running for s in made)


def start(scanners, port_path, **kw):
    scanner = SerialScanner(str(port_path), retry_initial_s=0.05, retry_max_s=0.2, **kw)
    scanners.append(scanner)
    results, problems, states = [], [], []
    scanner.subscribe(results.append)
    scanner.subscribe_problems(problems.append)
    scanner.state.subscribe(lambda r: states.append((r.state, r.reason_key, r.params)))
    scanner.open()
    wait_until(lambda: scanner.state.state is DeviceState.READY)
    return scanner, results, problems, states


def wait_until(predicate) -> None:
    end = time.monotonic() + DEADLINE_S
    while not predicate():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.005)


@pytest.mark.parametrize("baudrate", [9600, 115200])
@pytest.mark.parametrize("ending", [b"\r\n", b"\n", b"\r"])
def test_terminated_lines_arrive_as_scan_results(port, scanners, baudrate, ending):
    scanner, results, problems, _ = start(scanners, port.path, baudrate=baudrate)
    port.write(b"KIOSK1.token-one" + ending + b"KIOSK1.token-two" + ending)
    wait_until(lambda: len(results) == 2)
    assert [(r.payload, r.raw, r.symbology, r.source) for r in results] == [
        ("KIOSK1.token-one", b"KIOSK1.token-one", "unknown", "serial"),
        ("KIOSK1.token-two", b"KIOSK1.token-two", "unknown", "serial"),
    ]
    assert problems == []


def test_a_line_written_in_pieces_is_assembled(port, scanners):
    scanner, results, _, _ = start(scanners, port.path)
    port.write(b"KIO", b"SK-", b"77\r", b"\n", pause_s=0.03)
    wait_until(lambda: results)
    assert [r.payload for r in results] == ["KIOSK-77"]
    assert scanner.pending_bytes == 0


def test_binary_garbage_is_reported_and_the_next_scan_still_arrives(port, scanners):
    _, results, problems, _ = start(scanners, port.path)
    port.write(b"\x00\x01\x1b[2J\xff\xfe\x00\x7f\r\nGOOD-CODE\r\n")
    wait_until(lambda: results)
    assert [r.payload for r in results] == ["GOOD-CODE"]
    assert [(p.reason_key, p.source) for p in problems] == [("scanner.line_garbled", "serial")]


def test_over_long_line_is_reported_not_delivered(port, scanners):
    _, results, problems, _ = start(scanners, port.path, max_line_bytes=64)
    port.write(b"X" * 300 + b"\r\n" + b"AFTER\r\n")
    wait_until(lambda: results)
    assert [r.payload for r in results] == ["AFTER"]
    assert [(p.reason_key, p.length) for p in problems] == [("scanner.line_too_long", 300)]


def test_utf8_line_is_delivered_with_its_raw_bytes(port, scanners):
    _, results, _, _ = start(scanners, port.path)
    port.write("社区-42\r\n".encode())
    wait_until(lambda: results)
    assert results[0].raw == "社区-42".encode() and results[0].payload == "社区-42"


def test_same_code_within_the_repeat_window_is_dropped(port, scanners):
    clock = Clock()
    _, results, _, _ = start(scanners, port.path, clock=clock)
    port.write(b"SAME\r\n")
    wait_until(lambda: results)
    clock.now_s = 1.0
    port.write(b"SAME\r\nOTHER\r\n")
    wait_until(lambda: len(results) == 2)
    clock.now_s = 3.5
    port.write(b"SAME\r\n")
    wait_until(lambda: len(results) == 3)
    assert [r.payload for r in results] == ["SAME", "OTHER", "SAME"]


def test_port_closing_mid_line_reports_the_cut_line_and_the_loss(port, scanners):
    scanner, results, problems, states = start(scanners, port.path)
    port.write(b"PARTIAL")
    wait_until(lambda: scanner.pending_bytes == 7)
    port.unplug()
    wait_until(lambda: problems and scanner.state.state is DeviceState.ERROR)
    assert results == []
    assert [(p.reason_key, p.length) for p in problems] == [("scanner.line_incomplete", 7)]
    assert (DeviceState.ERROR, "scanner.port_lost", {"port": str(port.path)}) in states


def test_scanner_reconnects_when_the_port_comes_back(port, scanners):
    scanner, results, _, states = start(scanners, port.path)
    port.write(b"BEFORE\r\n")
    wait_until(lambda: results)
    port.unplug()
    wait_until(lambda: scanner.state.state is DeviceState.ERROR)
    port.plug_in()
    wait_until(lambda: scanner.state.state is DeviceState.READY)
    port.write(b"AFTER\r\n")
    wait_until(lambda: len(results) == 2)
    assert [r.payload for r in results] == ["BEFORE", "AFTER"]
    assert scanner.opens == 2


def test_missing_port_is_an_error_naming_it_and_stop_ends_the_retries(scanners, tmp_path):
    missing = tmp_path / "ttyNothing"
    scanner = SerialScanner(str(missing), retry_initial_s=0.05, retry_max_s=0.1)
    scanners.append(scanner)
    scanner.open()
    wait_until(lambda: scanner.state.state is DeviceState.ERROR)
    report = scanner.state.report
    assert (report.reason_key, report.params) == ("scanner.port_not_found", {"port": str(missing)})
    scanner.stop()
    assert not scanner.running and scanner.state.state is DeviceState.DISCONNECTED
