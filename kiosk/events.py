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
    """What the top bar shows: reachability, queue length, and why sync stopped if it did.

    ``refused`` is the server's refusal key (auth.unknown_kiosk, auth.revoked, sync.not_enrolled)
    while the kiosk is refused; ``dead`` counts dead-lettered records for staff; ``last_error``
    is the message key of the last failed attempt (sync.offline, sync.server_busy, ...).
    """

    online: bool
    pending: int
    refused: str | None = None
    dead: int = 0
    last_error: str | None = None


session_did_start: Hook[str] = Hook("session_did_start")  # payload: how it started ("touch", "qr")
session_will_end: Hook[str] = Hook("session_will_end")  # payload: why ("idle", "home", "logout")
sync_status_did_change: Hook[SyncStatus] = Hook("sync_status_did_change")
