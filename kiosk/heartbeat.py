"""Heartbeat: every [ops] heartbeat_interval_s the kiosk tells the server how it is doing."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any, Callable

from kiosk import __version__
from kiosk.protocol import DeviceBeat, Heartbeat, HeartbeatAnswer
from kiosk.storage.column_types import utc_now

log = logging.getLogger(__name__)

HEARTBEAT_PATH = "/heartbeat"
PAPER_QUERY_TIMEOUT_S = 5.0
_PAPER_FROM_REASON = {
    "printer.paper_out": "paper_out",
    "printer.paper_near_end": "near_end",
    "printer.cover_open": "cover_open",
    "printer.offline": "offline",
}


def paper_status(devices: Any, *, query: bool = True) -> str:
    """"none" without a printer; else ok, near_end, paper_out, cover_open, offline or unknown.

    With ``query`` a printer that can report asks it (on the printer's own worker, at most
    PAPER_QUERY_TIMEOUT_S); otherwise the last state the driver reported is used.
    """
    if devices is None or not devices.is_configured("printer"):
        return "none"
    driver = devices.get("printer")
    if driver is None:
        return "unknown"
    if query and "status" in getattr(driver, "capabilities", ()) and hasattr(driver, "status_async"):
        try:
            return str(driver.status_async().result(timeout=PAPER_QUERY_TIMEOUT_S).value)
        except Exception as exc:  # noqa: BLE001 - a printer that cannot answer is reported, not raised
            log.info("printer status query failed: %s", type(exc).__name__)
    report = devices.state("printer")
    if report.reason_key in _PAPER_FROM_REASON:
        return _PAPER_FROM_REASON[report.reason_key]
    return "ok" if report.state.value == "ready" else "unknown"


def device_beats(config: Any, devices: Any) -> list[DeviceBeat]:
    """The state of every configured device role (no I/O)."""
    if devices is None:
        return []
    beats = []
    for role in sorted(config.devices):
        report = devices.state(role)
        beats.append(DeviceBeat(role=role[:32], driver=config.devices[role].driver[:64], state=report.state.value,
                                reason_key=(report.reason_key or "")[:64]))
    return beats


def build_heartbeat(runtime: Any, started: float, *, query_paper: bool = True,
                    clock: Callable[[], float] = time.monotonic, now: Callable[[], datetime] = utc_now) -> Heartbeat:
    """What the kiosk reports: version, uptime, queue, paper, devices, last error; nothing personal.

    Blocking (database read, printer status): call from the heartbeat thread or a worker.
    """
    from kiosk.sync import outbox

    queue = dead = 0
    if runtime.database is not None:
        with runtime.database.session() as session:
            queue, dead = outbox.pending_count(session), outbox.dead_count(session)
    paper = paper_status(runtime.devices, query=query_paper)  # first: asking opens the printer
    devices = device_beats(runtime.config, runtime.devices)
    last_error = runtime.sync.relay.status.last_error if runtime.sync is not None else None
    if last_error is None:
        last_error = next((d.reason_key for d in devices if d.state == "error" and d.reason_key), None)
    return Heartbeat(
        version=__version__, sent_at=now(), uptime_s=round(max(0.0, clock() - started), 1), queue=queue, dead=dead,
        paper=paper, devices=devices, last_error=last_error,
    )


def send_heartbeat(client: Any, beat: Heartbeat) -> HeartbeatAnswer:
    """POST /heartbeat with the kiosk's credentials; raises the transport's SyncError subclasses."""
    return client.call("POST", HEARTBEAT_PATH, HeartbeatAnswer, body=beat)


class HeartbeatSender:
    """A thread that sends a heartbeat at start and then every ``config.ops.heartbeat_interval_s``
    (read each time: the server may change it live). Failures are logged and never stop it."""

    def __init__(self, runtime: Any, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.runtime = runtime
        self.clock = clock
        self.started = clock()
        self.sent = 0
        self.last_answer: HeartbeatAnswer | None = None
        self.last_failure: str | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> HeartbeatAnswer | None:
        """Build and send one heartbeat now (blocking); None when there is no server or it failed."""
        from kiosk.sync.errors import SyncError

        sync = self.runtime.sync
        if sync is None:
            return None
        try:
            answer = send_heartbeat(sync.client, build_heartbeat(self.runtime, self.started, clock=self.clock))
        except SyncError as exc:
            if exc.key != self.last_failure:
                log.info("heartbeat not delivered: %s", exc.key)
            self.last_failure = exc.key
            return None
        self.sent += 1
        self.last_answer, self.last_failure = answer, None
        return answer

    def start(self) -> HeartbeatSender:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """Send one now (e.g. after a device changed state) instead of at the next interval."""
        self._wake.set()

    def _run(self) -> None:
        wait_for_sync = getattr(self.runtime, "wait_for_sync_start", None)
        while not self._stop.is_set() and self.runtime.sync is None:
            if wait_for_sync is None or wait_for_sync(0.5):  # started: sync stays None without a server
                if self.runtime.sync is None:
                    return
        while not self._stop.is_set():
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a bug must not end the heartbeat
                log.exception("heartbeat failed")
            self._wake.wait(self.runtime.config.ops.heartbeat_interval_s)
            self._wake.clear()

    def stop(self, timeout_s: float | None = None) -> None:
        """Stop after the heartbeat in flight (bounded by the client's deadline, the default wait)."""
        self._stop.set()
        self._wake.set()
        if timeout_s is None:
            timeout_s = self.runtime.config.server.deadline_s + 5.0
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("heartbeat did not stop within %.1f s", timeout_s)


def start_heartbeat(runtime: Any) -> HeartbeatSender | None:
    """Start the heartbeat thread when the runtime syncs with a server; None otherwise."""
    if runtime.sync is None:
        return None
    return HeartbeatSender(runtime).start()
