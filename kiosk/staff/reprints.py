"""The last receipts and tickets this kiosk printed, kept in memory only, for a staff reprint.

What is kept is exactly the rendered ReceiptDocument that went to the paper (masked names, no
phone): nothing more personal than the slip itself. Only the last ``KEEP`` prints of the running
kiosk process are kept, each at most ``MAX_AGE_S``; nothing is written to disk, and a restart
forgets them all.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from devices.printer.document import Align, ReceiptDocument, Style, TextLine

KEEP = 20
MAX_AGE_S = 4 * 3600.0  # half a working day: a lost slip is asked for soon, not next week
KINDS = ("health", "request", "canteen", "points", "other")
_ATTRIBUTE = "print_journal"  # on the kiosk.runtime.Runtime


@dataclass(frozen=True)
class PrintedSlip:
    """One print: ``label`` is what the slip is (a tracking number, "lunch 11-21"), never a name."""

    slip_id: int
    kind: str
    label: str
    printed_at: float  # the journal clock (time.time() by default)
    document: ReceiptDocument = field(compare=False, repr=False)


class PrintJournal:
    """Thread-safe: printing screens ``remember`` from the Qt thread, staff read it there too."""

    def __init__(self, keep: int = KEEP, max_age_s: float = MAX_AGE_S,
                 clock: Callable[[], float] = time.time) -> None:
        self._slips: deque[PrintedSlip] = deque(maxlen=keep)
        self._max_age_s = max_age_s
        self._clock = clock
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def remember(self, document: ReceiptDocument, kind: str, label: str) -> PrintedSlip:
        """Keep a copy of a document just sent to the printer (the oldest beyond ``keep`` is dropped)."""
        slip = PrintedSlip(next(self._ids), kind if kind in KINDS else "other", label[:40], self._clock(),
                           ReceiptDocument(list(document.blocks)))
        with self._lock:
            self._slips.append(slip)
        return slip

    def recent(self, kind: str | None = None) -> list[PrintedSlip]:
        """Slips still kept, newest first (of one ``kind`` when given); older ones are forgotten now."""
        cutoff = self._clock() - self._max_age_s
        with self._lock:
            while self._slips and self._slips[0].printed_at < cutoff:
                self._slips.popleft()
            slips = list(self._slips)
        return [s for s in reversed(slips) if kind is None or s.kind == kind]

    def get(self, slip_id: int) -> PrintedSlip | None:
        return next((s for s in self.recent() if s.slip_id == slip_id), None)

    def clear(self) -> None:
        with self._lock:
            self._slips.clear()


def reprint_document(slip: PrintedSlip, marker: str) -> ReceiptDocument:
    """The slip's document with a bold ``marker`` line ("重印 / Reprint") on top."""
    top = TextLine(marker, Style(Align.CENTER, bold=True))
    return ReceiptDocument([top, *slip.document.blocks])


def journal(runtime: Any) -> PrintJournal:
    """The journal of this running kiosk (created on first use; lives as long as the runtime)."""
    found = getattr(runtime, _ATTRIBUTE, None)
    if found is None:
        found = PrintJournal()
        setattr(runtime, _ATTRIBUTE, found)
    return found


def remember(runtime: Any, document: ReceiptDocument, kind: str, label: str) -> PrintedSlip | None:
    """The hook for printing screens: call right after ``printer.print_async(document)``.
    No-op (None) without a runtime (screenshots and some unit tests)."""
    if runtime is None:
        return None
    return journal(runtime).remember(document, kind, label)


__all__ = ["KEEP", "KINDS", "MAX_AGE_S", "PrintJournal", "PrintedSlip", "journal", "remember", "reprint_document"]
