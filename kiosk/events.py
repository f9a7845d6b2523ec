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
# Issue #8 (operations): emitted after the pulled page committed (relay thread), help calls also
# by kiosk.help_calls.notify after a local raise/cancel committed. Payload: the
# kiosk.storage.Database concerned (tests run several kiosks in one process).
server_settings_did_change: Hook[object] = Hook("server_settings_did_change")  # KIOSK_CONFIG pulled
help_calls_did_change: Hook[object] = Hook("help_calls_did_change")  # HELP_CALL pulled, or raised/cancelled here
# After kiosk.live_config applied pushed settings to runtime.config (relay thread): the UI
# re-applies what it copied at start-up (session time-outs, default language/scale/theme).
settings_did_change: Hook[tuple] = Hook("settings_did_change")  # payload: the dotted keys applied
