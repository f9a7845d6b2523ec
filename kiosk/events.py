"""Typed events the core publishes; ui/ re-emits them on the Qt thread through one bridge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from devices.listeners import Listeners

T = TypeVar("T")


class Hook(Listeners[T]):
    """A named event with a typed payload; listeners run on the emitting thread."""


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    pending: int


session_did_start: Hook[str] = Hook("session_did_start")  # payload: how it started ("touch", "qr")
session_will_end: Hook[str] = Hook("session_will_end")  # payload: why ("idle", "home", "logout")
sync_status_did_change: Hook[SyncStatus] = Hook("sync_status_did_change")
