"""Deliver the outcome of background work (a Future) to the Qt thread, never blocking it."""

from __future__ import annotations

import concurrent.futures
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal


class _Relay(QObject):
    done = Signal(object)


class FutureWatcher(QObject):
    """Calls ``on_done(result)`` or ``on_error(exc)`` on the Qt thread when ``future`` finishes.

    Owned by ``parent`` (a screen): when the screen is gone, nothing is called. Call
    :meth:`discard` to ignore a result that is no longer wanted (the user went back).
    """

    def __init__(self, parent: QObject, future: concurrent.futures.Future[Any],
                 on_done: Callable[[Any], None], on_error: Callable[[BaseException], None] | None = None) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self._discarded = False
        self._relay = _Relay()
        self._relay.moveToThread(self.thread())
        self._relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)  # always later
        future.add_done_callback(self._relay.done.emit)  # any thread: a queued signal crosses over

    def discard(self) -> None:
        self._discarded = True

    def _deliver(self, future: concurrent.futures.Future[Any]) -> None:
        if self._discarded:
            return
        self._discarded = True
        try:
            if future.cancelled():
                return
            exc = future.exception()
            if exc is None:
                self._on_done(future.result())
            elif self._on_error is not None:
                self._on_error(exc)
        finally:
            self.deleteLater()


def watch(parent: QObject, future: concurrent.futures.Future[Any], on_done: Callable[[Any], None],
          on_error: Callable[[BaseException], None] | None = None) -> FutureWatcher:
    """Shorthand for :class:`FutureWatcher`; keep the return value to :meth:`discard` it."""
    return FutureWatcher(parent, future, on_done, on_error)
