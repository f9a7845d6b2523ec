"""The simulated printer twin: a python-escpos Dummy that answers status queries and runs out of paper."""

from __future__ import annotations

import threading

from escpos.escpos import Escpos
from escpos.printer import Dummy

from devices.printer.status import (
    COVER_OPEN_BIT,
    NEAR_END_BITS,
    OFFLINE_BIT,
    PAPER_END_BITS,
    STATUS_OFFLINE_CAUSE,
    STATUS_PAPER,
    STATUS_PRINTER,
    STATUS_QUERIES,
    STOPPED_AT_PAPER_END_BIT,
    PrinterStatus,
)
from devices.printer.transports import EscposTransport

_IDLE = 0x12  # the fixed bits 0xx1xx10 with no condition set


def status_replies(condition: PrinterStatus) -> dict[int, bytes]:
    """The replies a real printer gives to DLE EOT 1/2/4 in ``condition`` (UNKNOWN: silence)."""
    if condition is PrinterStatus.UNKNOWN:
        return {n: b"" for n in STATUS_QUERIES}
    printer = cause = paper = _IDLE
    if condition is PrinterStatus.NEAR_END:
        paper |= NEAR_END_BITS
    elif condition is PrinterStatus.PAPER_OUT:  # a printer out of paper also goes offline
        printer |= OFFLINE_BIT
        cause |= STOPPED_AT_PAPER_END_BIT
        paper |= NEAR_END_BITS | PAPER_END_BITS
    elif condition is PrinterStatus.COVER_OPEN:
        printer |= OFFLINE_BIT
        cause |= COVER_OPEN_BIT
    elif condition is PrinterStatus.OFFLINE:
        printer |= OFFLINE_BIT
    return {STATUS_PRINTER: bytes([printer]), STATUS_OFFLINE_CAUSE: bytes([cause]), STATUS_PAPER: bytes([paper])}


class SimulatedPrinter(Dummy):
    """Collects printed bytes like Dummy; answers DLE EOT n from a fault or a paper roll.

    ``fault`` forces a condition (paper out, near end, cover open, offline, unknown = no
    answer). With ``paper_lines`` set, every line feed uses up a line of the roll: the printer
    reports near end at ``near_end_lines`` left and paper out at none.
    """

    def __init__(self, profile: str | None = None, *, fault: PrinterStatus = PrinterStatus.OK,
                 paper_lines: int | None = None, near_end_lines: int = 20) -> None:
        super().__init__(profile=profile)
        self._lock = threading.Lock()
        self.fault = fault
        self.paper_lines = paper_lines
        self.near_end_lines = near_end_lines
        self.queries: list[int] = []
        self._replies = b""

    def set_fault(self, fault: PrinterStatus) -> None:
        with self._lock:
            self.fault = fault

    def condition(self) -> PrinterStatus:
        with self._lock:
            if self.fault is not PrinterStatus.OK or self.paper_lines is None:
                return self.fault
            if self.paper_lines <= 0:
                return PrinterStatus.PAPER_OUT
            if self.paper_lines <= self.near_end_lines:
                return PrinterStatus.NEAR_END
            return PrinterStatus.OK

    def _raw(self, msg: bytes) -> None:
        # DLE EOT is handled in real time by the printer and never printed: keep it out of output.
        if len(msg) == 3 and msg[:2] == b"\x10\x04" and msg[2] in STATUS_QUERIES:
            reply = status_replies(self.condition())[msg[2]]
            with self._lock:
                self.queries.append(msg[2])
                self._replies += reply
            return
        super()._raw(msg)
        with self._lock:
            if self.paper_lines is not None:
                self.paper_lines = max(0, self.paper_lines - msg.count(b"\n"))

    def _read(self) -> bytes:
        with self._lock:
            reply, self._replies = self._replies, b""
        return reply


class SimTransport(EscposTransport):
    """Transport to a SimulatedPrinter; reads status like a USB or serial printer would."""

    transport_id = "sim"
    can_read_status = True

    def __init__(self, *, fault: PrinterStatus | str = PrinterStatus.OK,
                 paper_lines: int | None = None, near_end_lines: int = 20) -> None:
        super().__init__()
        self.sim = SimulatedPrinter(fault=PrinterStatus(fault), paper_lines=paper_lines,
                                    near_end_lines=near_end_lines)

    def _make(self) -> Escpos:
        return self.sim

    @property
    def output(self) -> bytes:
        """Bytes printed (status requests excluded) since creation or ``clear()``."""
        return self.sim.output

    def clear(self) -> None:
        self.sim.clear()

    def _read_reply(self, timeout_s: float) -> bytes:
        return self.sim._read()
