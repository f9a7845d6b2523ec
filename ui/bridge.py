"""Re-emits the core's events as Qt signals, delivered on the Qt thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk import events


class CoreBridge(QObject):
    sync_status_changed = Signal(bool, int, str)  # online, pending, refusal key or ""
    settings_changed = Signal(object)  # tuple of dotted keys the server changed (kiosk.live_config)

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe = [
            events.sync_status_did_change.subscribe(
                lambda s: self.sync_status_changed.emit(s.online, s.pending, s.refused or "")
            ),
            events.settings_did_change.subscribe(lambda keys: self.settings_changed.emit(tuple(keys))),
        ]

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
