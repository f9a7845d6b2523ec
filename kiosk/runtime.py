"""Starts and stops the core services the UI runs on: logging, language, database, voice."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kiosk import paths
from kiosk.config import KioskConfig
from kiosk.i18n import set_language
from kiosk.logging_setup import configure_logging, hold_early_records
from kiosk.voice import Voice, build_backend

if TYPE_CHECKING:
    import concurrent.futures

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Runtime:
    config: KioskConfig
    voice: Voice
    database: Any = None
    sync: Any = None  # kiosk.sync.service.SyncService once the database is open and a server is set
    demo_server: Any = None  # kiosk.demo_server.DemoServer in demo mode
    devices: Any = None  # kiosk.device_hub.DeviceHub: the configured drivers, created on first use
    health_purge: Any = None  # kiosk.health.purge.HealthPurger once the database is open
    heartbeat: Any = None  # kiosk.heartbeat.HeartbeatSender when a server is configured (issue #8)
    _live_config_detach: Any = None  # stops applying server-pushed settings (kiosk.live_config)
    _executor: concurrent.futures.ThreadPoolExecutor | None = None
    _opening: concurrent.futures.Future[Any] | None = None
    _sync_started: threading.Event = field(default_factory=threading.Event)
    _later: tuple[str, ...] = ()  # what start_runtime left for after_first_paint()
    _preload: threading.Thread | None = None

    def after_first_paint(self) -> None:
        """What the home screen need not wait for: log files, the speech engine, the database.

        ``ui.app.run`` calls it once the home screen is painted (on the Qt thread; it returns at
        once: the speech engine and the database start on their own workers).
        """
        later, self._later = self._later, ()
        if "logs" in later:
            configure_logging(paths.log_dir(self.config))
            log.info("log files open (after the first paint)")
        if "speech" in later:
            self.voice.use_backend(build_backend(self.config.voice))
            log.info("speech started (%s)", self.voice.backend.driver_id)
        if "database" in later:
            self.open_database_async()
        if later and self.devices is not None:
            self._preload = threading.Thread(target=self.devices.preload_modules, name="driver-preload", daemon=True)
            self._preload.start()

    def open_database_async(self) -> concurrent.futures.Future[Any]:
        """Open (and migrate) the database on a worker thread; the UI paints meanwhile.

        SQLAlchemy and Alembic take ~0.5 s to import: the home screen needs neither.
        """
        import concurrent.futures

        if self._opening is None:
            self._opening = concurrent.futures.Future()
            threading.Thread(target=self._open_database, name="database-open", daemon=True).start()
        return self._opening

    def _open_database(self) -> None:
        assert self._opening is not None
        try:
            from kiosk.storage import open_database

            self.database = open_database(paths.database_path(self.config))
        except BaseException as exc:
            log.error("database could not be opened: %s", type(exc).__name__)
            self._opening.set_exception(exc)
        else:
            self._opening.set_result(self.database)
            self._start_health_purge()
            self._start_ops()
            self._start_sync()

    def _start_health_purge(self) -> None:
        """Forget synced health data now and after each sync (never stops the kiosk)."""
        try:
            from kiosk.health.purge import HealthPurger

            self.health_purge = HealthPurger.start(self.database, self.config)
        except Exception as exc:  # noqa: BLE001
            log.error("health purge could not start: %s", type(exc).__name__)

    def _start_ops(self) -> None:
        """Server-pushed settings applied live, and the heartbeat (it waits for the sync start-up)."""
        try:
            from kiosk.heartbeat import HeartbeatSender
            from kiosk.live_config import attach

            self._live_config_detach = attach(self)
            if self.config.server.url.strip() or self.config.kiosk.demo:
                self.heartbeat = HeartbeatSender(self).start()
        except Exception as exc:  # noqa: BLE001 - operations extras never stop the kiosk
            log.error("operations could not start: %s", type(exc).__name__)

    def _start_sync(self) -> None:
        """After the database: the demo server (demo mode), the relay, and enrollment if needed.

        Runs on the database-open worker. A failure leaves the kiosk working offline (the top
        bar says so, `kiosk doctor` says why); it never stops the kiosk.
        """
        try:
            from kiosk.sync.enrollment import load_credentials
            from kiosk.sync.service import start_sync

            code = self.config.server.enrollment_code.strip()
            if self.config.kiosk.demo and not self.config.server.url:
                from kiosk.demo_server import DemoServer

                self.demo_server = DemoServer(paths.data_dir(self.config) / "demo-server")
                self.config.server.url = self.demo_server.start()
            self.sync = start_sync(self.config, self.database)
            if self.sync is None:
                return
            if load_credentials(self.database) is None:
                if self.demo_server is not None:
                    code = self.demo_server.enrollment_code()
                if code:
                    self.sync.enroll(code, self.config.kiosk.name)
            elif self.demo_server is not None:
                # The demo server's database may have been reset: enroll again when refused.
                status = self.sync.relay.sync_now().result(timeout=60)
                if status.refused in ("auth.unknown_kiosk", "auth.revoked"):
                    self.sync.enroll(self.demo_server.enrollment_code(), self.config.kiosk.name)
            if self.demo_server is not None:
                self._present_demo_card()
        except Exception as exc:  # noqa: BLE001 - offline is a state the kiosk handles
            log.error("sync could not start: %s: %s", type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        finally:
            self._sync_started.set()

    def run_blocking(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        """Run blocking work (a server call, a file export) off the Qt thread; returns at once."""
        import concurrent.futures

        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="kiosk-io")
        return self._executor.submit(fn)

    def _present_demo_card(self) -> None:
        """Demo only: the simulated scanner shows a real signed card of a demo resident every 20 s
        (instead of the placeholder payloads), so the resident services can be tried end to end."""
        from kiosk.config import DeviceRole
        from kiosk.device_admin import DEMO_SCAN_PAYLOADS

        scanner = self.config.devices.get("scanner")
        if scanner is None or scanner.driver != "sim" or tuple(scanner.options.get("payloads", ())) != DEMO_SCAN_PAYLOADS:
            return  # a technician configured something else: leave it alone
        card = self.demo_server.demo_card()
        self.config.devices["scanner"] = DeviceRole.model_validate(
            {"driver": "sim", "payloads": [card], "start_delay_s": 3.0, "interval_s": 20.0, "loop": True})
        if self.devices is not None:
            self.devices.reconfigure(self.config)
        log.info("demo scanner presents a demo resident card")

    def wait_for_sync_start(self, timeout_s: float = 60.0) -> bool:
        """Block until the sync start-up (demo server, enrollment) has finished or failed (tests, doctor)."""
        return self._sync_started.wait(timeout_s)

    def close(self) -> None:
        self.voice.close()
        if self._preload is not None:
            self._preload.join(timeout=60)  # imports cannot be interrupted; they end on their own
            self._preload = None
        if self.devices is not None:
            self.devices.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        if self._opening is not None:
            import concurrent.futures

            concurrent.futures.wait([self._opening], timeout=60)
            self._sync_started.wait(90)
        if self.health_purge is not None:
            self.health_purge.close()
            self.health_purge = None
        if self.heartbeat is not None:
            self.heartbeat.stop()
            self.heartbeat = None
        if self._live_config_detach is not None:
            self._live_config_detach()
            self._live_config_detach = None
        if self.sync is not None:
            self.sync.close()
            self.sync = None
        if self.demo_server is not None:
            self.demo_server.stop()
            self.demo_server = None
        if self.database is not None:
            self.database.close()
            self.database = None


def start_runtime(
    config: KioskConfig, *, speech: bool | str = True, database: bool | str = True, logs: bool | str = True
) -> Runtime:
    """Bring up the core for ``config``; ``speech=False`` uses the silent backend (screenshots).

    ``database=True`` starts opening the database on a worker now; False never. ``"later"`` (for
    ``database``, ``speech`` and ``logs``) leaves it to ``after_first_paint()``: the app calls it
    once the home screen is painted. Until then speech is silent (the home prompt is spoken when
    the engine is up) and log records are held in memory.
    """
    if logs == "later":
        hold_early_records()
    elif logs:
        configure_logging(paths.log_dir(config))
    set_language(config.ui.language)
    voice_cfg = config.voice if speech is True else config.voice.model_copy(update={"backend": "null"})
    voice = Voice(
        build_backend(voice_cfg),
        enabled=config.voice.enabled,
        default_volume=config.voice.volume,
        default_rate_wpm=config.voice.rate_wpm,
    )
    log.info("runtime started (demo=%s, speech=%s)", config.kiosk.demo,
             "after the first paint" if speech == "later" else voice_cfg.backend)
    from kiosk.device_hub import DeviceHub

    later = tuple(part for part, when in (("logs", logs), ("speech", speech), ("database", database)) if when == "later")
    runtime = Runtime(config=config, voice=voice, devices=DeviceHub(config), _later=later)
    if database is True:
        runtime.open_database_async()
    return runtime
