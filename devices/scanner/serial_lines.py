"""Pure splitter of a serial scanner's byte stream into CR/LF-terminated scans, with a length cap."""

from __future__ import annotations

from dataclasses import dataclass

from devices.messages import N_

TOO_LONG = N_("scanner.line_too_long")
GARBLED = N_("scanner.line_garbled")
INCOMPLETE = N_("scanner.line_incomplete")

_TERMINATORS = b"\r\n"
# C0 controls (but TAB) and DEL never appear in a scanned code; line noise and a wrong baud
# rate produce them, so such a line is reported instead of delivered.
_CONTROL = frozenset(set(range(0x20)) - {0x09} | {0x7F})


@dataclass(frozen=True)
class Line:
    raw: bytes


@dataclass(frozen=True)
class Rejected:
    reason_key: str
    length: int


class LineSplitter:
    """Feed bytes as they arrive (any split); get complete lines and rejected ones.

    CR, LF and CRLF all end a line; empty lines are skipped (so CRLF is one terminator).
    A line longer than ``max_line_bytes`` is rejected once and the rest of it, up to the next
    terminator, is dropped.
    """

    def __init__(self, max_line_bytes: int = 512) -> None:
        if max_line_bytes < 1:
            raise ValueError("max_line_bytes must be >= 1")
        self.max_line_bytes = max_line_bytes
        self._buffer = bytearray()
        self._overflow = 0  # bytes dropped of the current over-long line

    def feed(self, data: bytes) -> list[Line | Rejected]:
        events: list[Line | Rejected] = []
        for byte in data:
            if byte in _TERMINATORS:
                event = self._end_line()
                if event is not None:
                    events.append(event)
            elif self._overflow:
                self._overflow += 1
            elif len(self._buffer) >= self.max_line_bytes:
                self._overflow = len(self._buffer) + 1
                self._buffer.clear()
            else:
                self._buffer.append(byte)
        return events

    def flush(self) -> Rejected | None:
        """The port closed: a pending partial line is reported as cut off, then forgotten."""
        length = self._overflow or len(self._buffer)
        reason = TOO_LONG if self._overflow else INCOMPLETE
        self._buffer.clear()
        self._overflow = 0
        return Rejected(reason, length) if length else None

    @property
    def pending_bytes(self) -> int:
        return self._overflow or len(self._buffer)

    def _end_line(self) -> Line | Rejected | None:
        if self._overflow:
            event: Line | Rejected | None = Rejected(TOO_LONG, self._overflow)
        elif not self._buffer:
            event = None
        elif any(b in _CONTROL for b in self._buffer):
            event = Rejected(GARBLED, len(self._buffer))
        else:
            event = Line(bytes(self._buffer))
        self._buffer.clear()
        self._overflow = 0
        return event
