"""Starts and stops the core services the UI runs on: logging, language, database, voice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
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
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.voice.close()
        if self.database is not None:
            self.database.close()
            self.database = None


def start_runtime(config: KioskConfig, *, speech: bool = True, database: bool = True, logs: bool = True) -> Runtime:
    """Bring up the core for ``config``; ``speech=False`` uses the silent backend (screenshots)."""
    if logs:
        configure_logging(paths.log_dir(config))
    set_language(config.ui.language)
    db = None
    if database:
        from kiosk.storage import open_database

        db = open_database(paths.database_path(config))
    voice_cfg = config.voice if speech else config.voice.model_copy(update={"backend": "null"})
    voice = Voice(
        build_backend(voice_cfg),
        enabled=config.voice.enabled,
        default_volume=config.voice.volume,
        default_rate_wpm=config.voice.rate_wpm,
    )
    log.info("runtime started (demo=%s, speech=%s)", config.kiosk.demo, voice_cfg.backend)
    return Runtime(config=config, voice=voice, database=db)
