"""Real-time printer status (DLE EOT n): decoding recorded reply bytes into a PrinterStatus."""

from __future__ import annotations

import enum
from typing import Mapping

from devices.errors import DeviceError
from devices.messages import N_

# DLE EOT n, the real-time status request; n selects which status byte the printer returns.
STATUS_PRINTER = 1  # bit 3: offline
STATUS_OFFLINE_CAUSE = 2  # bit 2: cover open; bit 5: printing stopped at paper end
STATUS_PAPER = 4  # bits 2-3: paper near end; bits 5-6: paper end
STATUS_QUERIES = (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER)

OFFLINE_BIT = 0x08
COVER_OPEN_BIT = 0x04
STOPPED_AT_PAPER_END_BIT = 0x20
NEAR_END_BITS = 0x0C
PAPER_END_BITS = 0x60
# Every reply has the fixed bits 0xx1xx10: bit 7 = 0, bit 4 = 1, bit 1 = 1, bit 0 = 0.
_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12


def status_request(n: int) -> bytes:
    """The bytes that ask for real-time status ``n`` (1, 2 or 4)."""
    if n not in STATUS_QUERIES:
        raise ValueError(f"unsupported real-time status {n}")
    return bytes((0x10, 0x04, n))


def is_valid_reply(byte: int) -> bool:
    """Whether ``byte`` has the fixed bits of a real-time status reply (0xx1xx10)."""
    return byte & _FIXED_MASK == _FIXED_VALUE


class PrinterStatus(enum.Enum):
    """The printer's condition, most urgent first when several apply."""

    OK = "ok"
    NEAR_END = "near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"

    @property
    def key(self) -> str:
        """Message key for the UI catalogue."""
        return _KEYS[self]

    @property
    def blocks_printing(self) -> bool:
        """True when a job sent now would not come out (the print is refused)."""
        return self in (PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN, PrinterStatus.OFFLINE)


_KEYS = {
    PrinterStatus.OK: N_("printer.status_ok"),
    PrinterStatus.NEAR_END: N_("printer.paper_near_end"),
    PrinterStatus.PAPER_OUT: N_("printer.paper_out"),
    PrinterStatus.COVER_OPEN: N_("printer.cover_open"),
    PrinterStatus.OFFLINE: N_("printer.offline"),
    PrinterStatus.UNKNOWN: N_("printer.status_unknown"),
}


class PrinterFault(DeviceError):
    """The printer cannot print now (paper out, cover open, offline); ``key`` says which."""

    key = N_("printer.offline")

    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(f"printer reports {status.value}", key=status.key)
        self.status = status


def _reply_byte(reply: bytes | None) -> int | None:
    # The last byte is the freshest: an earlier one may be a stale reply left in the buffer.
    if not reply or not is_valid_reply(reply[-1]):
        return None
    return reply[-1]


def decode_status(replies: Mapping[int, bytes | None]) -> PrinterStatus:
    """Decode replies to DLE EOT 1, 2 and 4 (``{n: reply bytes}``) into one PrinterStatus.

    Pure function. A missing, empty or malformed reply counts as not known: the result is
    UNKNOWN unless the replies that are valid already show a problem. Cover open ranks above
    paper out (an open cover also reads as no paper), then paper out, offline, near end.
    """
    printer = _reply_byte(replies.get(STATUS_PRINTER))
    cause = _reply_byte(replies.get(STATUS_OFFLINE_CAUSE))
    paper = _reply_byte(replies.get(STATUS_PAPER))
    if cause is not None and cause & COVER_OPEN_BIT:
        return PrinterStatus.COVER_OPEN
    if (paper is not None and paper & PAPER_END_BITS) or (
        cause is not None and cause & STOPPED_AT_PAPER_END_BIT
    ):
        return PrinterStatus.PAPER_OUT
    if printer is not None and printer & OFFLINE_BIT:
        return PrinterStatus.OFFLINE
    if paper is not None and paper & NEAR_END_BITS:
        return PrinterStatus.NEAR_END
    if printer is None or cause is None or paper is None:
        return PrinterStatus.UNKNOWN
    return PrinterStatus.OK
