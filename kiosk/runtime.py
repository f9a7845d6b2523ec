"""Starts and stops the core services the UI runs on: logging, language, database, voice."""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from dataclasses import dataclass
from typing import Any

from kiosk import paths
from kiosk.config import KioskConfig
from kiosk.i18n import set_language
from kiosk.logging_setup import configure_logging
from kiosk.voice import Voice, build_backend

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: KioskConfig
    voice: Voice
    database: Any = None
    _opening: concurrent.futures.Future[Any] | None = None

    def open_database_async(self) -> concurrent.futures.Future[Any]:
        """Open (and migrate) the database on a worker thread; the UI paints meanwhile.

        SQLAlchemy and Alembic take ~0.5 s to import: the home screen needs neither.
        """
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

    def close(self) -> None:
        self.voice.close()
        if self._opening is not None:
            concurrent.futures.wait([self._opening], timeout=60)
        if self.database is not None:
            self.database.close()
            self.database = None


def start_runtime(
    config: KioskConfig, *, speech: bool = True, database: bool | str = True, logs: bool = True
) -> Runtime:
    """Bring up the core for ``config``; ``speech=False`` uses the silent backend (screenshots).

    ``database=True`` starts opening the database on a worker now; ``"later"`` leaves it to the
    caller's ``open_database_async()`` (the app calls it after the first paint); False never.
    """
    if logs:
        configure_logging(paths.log_dir(config))
    set_language(config.ui.language)
    voice_cfg = config.voice if speech else config.voice.model_copy(update={"backend": "null"})
    voice = Voice(
        build_backend(voice_cfg),
        enabled=config.voice.enabled,
        default_volume=config.voice.volume,
        default_rate_wpm=config.voice.rate_wpm,
    )
    log.info("runtime started (demo=%s, speech=%s)", config.kiosk.demo, voice_cfg.backend)
    runtime = Runtime(config=config, voice=voice)
    if database is True:
        runtime.open_database_async()
    return runtime
