"""Typed events the core publishes; ui/ re-emits them on the Qt thread through one bridge."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Hook(Generic[T]):
    """A named event with typed payload; listeners run on the emitting thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._listeners: list[Callable[[T], None]] = []

    def subscribe(self, listener: Callable[[T], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, payload: T) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(payload)
            except Exception:  # one faulty listener must not stop the others
                log.exception("listener of %s failed", self.name)

    def listener_count(self) -> int:
        with self._lock:
            return len(self._listeners)


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    pending: int


session_did_start: Hook[str] = Hook("session_did_start")  # payload: how it started ("touch", "qr")
session_will_end: Hook[str] = Hook("session_will_end")  # payload: why ("idle", "home", "logout")
sync_status_did_change: Hook[SyncStatus] = Hook("sync_status_did_change")
