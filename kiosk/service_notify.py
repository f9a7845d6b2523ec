"""systemd's notify protocol (sd_notify): "ready" after the first paint, watchdog pings, "stopping".

The kiosk runs as a child of Cage under ``deploy/systemd/community-kiosk.service`` (Type=notify,
NotifyAccess=all, WatchdogSec=60). systemd passes NOTIFY_SOCKET and WATCHDOG_USEC down through
Cage; WATCHDOG_PID names Cage, the unit's main process, so it is not compared with our own pid:
with NotifyAccess=all the kiosk's datagrams count for the service. The UI sends the pings from its
event loop, so a hung Qt thread stops them and systemd restarts the kiosk.

Outside systemd (the demo, the X session recipe, tests without the variables) nothing is sent.
The protocol is one datagram per message on a Unix socket; no library is needed for it.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

NOTIFY_SOCKET = "NOTIFY_SOCKET"
WATCHDOG_USEC = "WATCHDOG_USEC"


class ServiceNotifier:
    """Sends notify messages to the socket systemd gave this service; never raises."""

    def __init__(self, address: str, watchdog_interval_s: float | None = None) -> None:
        # "@name" is Linux's abstract namespace: a leading NUL byte on the wire.
        self.address = "\0" + address[1:] if address.startswith("@") else address
        self.watchdog_interval_s = watchdog_interval_s
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self._socket.setblocking(False)  # sent from the Qt thread: never wait on a full socket
        self._failed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ServiceNotifier | None:
        """The notifier for this service, or None when not started by systemd with Type=notify."""
        env = os.environ if environ is None else environ
        address = env.get(NOTIFY_SOCKET, "")
        if not address.startswith(("/", "@")):
            return None
        return cls(address, _watchdog_interval_s(env.get(WATCHDOG_USEC, "")))

    def notify(self, message: str) -> bool:
        """Send ``message`` ("READY=1", "WATCHDOG=1", ...); False when it could not be sent."""
        try:
            self._socket.sendto(message.encode("utf-8"), self.address)
        except OSError as exc:
            if not self._failed:  # once: a watchdog ping every 30 s must not fill the log
                log.warning("systemd notify socket unusable: %s", type(exc).__name__)
                self._failed = True
            return False
        return True

    def ready(self) -> bool:
        return self.notify("READY=1\nSTATUS=home screen shown")

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def ping_every_s(self) -> float | None:
        """How often to ping: half the watchdog time (systemd's advice); None without a watchdog."""
        return None if self.watchdog_interval_s is None else self.watchdog_interval_s / 2

    def close(self) -> None:
        self._socket.close()


def _watchdog_interval_s(value: str) -> float | None:
    try:
        usec = int(value)
    except ValueError:
        if value:
            log.warning("ignoring %s=%r: not a whole number of microseconds", WATCHDOG_USEC, value)
        return None
    return usec / 1_000_000 if usec > 0 else None
