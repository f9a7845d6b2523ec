"""A screen's subscription to the configured QR scanner, while the screen is shown."""

from __future__ import annotations

from typing import Any, Callable


class ScannerListener:
    """Every payload the kiosk's scanner reads goes to ``deliver`` until :meth:`stop`.

    ``deliver`` runs on the scanner's own thread: give it a Qt signal's ``emit`` (queued to the
    Qt thread) or a relay's ``post``. No scanner configured (or it cannot be created): nothing
    happens, and the screen's other ways in (PIN, typing) still work.
    """

    def __init__(self, deliver: Callable[[str], None]) -> None:
        self._deliver = deliver
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def listening(self) -> bool:
        return self._unsubscribe is not None

    def start(self, runtime: Any) -> None:
        hub = getattr(runtime, "devices", None)
        scanner = hub.get("scanner") if hub is not None else None
        if scanner is None or self._unsubscribe is not None:
            return
        self._unsubscribe = scanner.subscribe(lambda result: self._deliver(result.payload))
        if not scanner.running:
            scanner.open()  # starts its own thread and returns at once

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
