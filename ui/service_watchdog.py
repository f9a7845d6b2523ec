"""systemd readiness and watchdog pings from the Qt event loop (see kiosk/service_notify.py)."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.service_notify import ServiceNotifier


class ServiceWatchdog:
    """Says READY=1 at once, pings WATCHDOG=1 from the Qt thread, says STOPPING=1 on stop().

    The pings ride the event loop on purpose: if the Qt thread hangs they stop, and systemd
    (WatchdogSec=) kills and restarts the kiosk instead of leaving a frozen screen.
    """

    def __init__(self, notifier: ServiceNotifier) -> None:
        self.notifier = notifier
        self.timer = QTimer()
        self.timer.setObjectName("serviceWatchdogTimer")
        notifier.ready()
        every_s = notifier.ping_every_s()
        if every_s is not None:
            notifier.ping()
            self.timer.setInterval(max(100, int(every_s * 1000)))
            self.timer.timeout.connect(notifier.ping)
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.notifier.stopping()
        self.notifier.close()


def start_service_watchdog() -> ServiceWatchdog | None:
    """The watchdog when systemd started the kiosk with Type=notify; None otherwise."""
    notifier = ServiceNotifier.from_environment()
    return None if notifier is None else ServiceWatchdog(notifier)
