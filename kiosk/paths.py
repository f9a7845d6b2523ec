"""Where the kiosk keeps its data and logs: platformdirs defaults, config and env overrides."""

from __future__ import annotations

import os
from pathlib import Path
from kiosk.config import KioskConfig

APP_NAME = "community-kiosk"
DATA_DIR_ENV = "KIOSK_DATA_DIR"
LOG_DIR_ENV = "KIOSK_LOG_DIR"
CACHE_DIR_ENV = "KIOSK_CACHE_DIR"
DATABASE_FILENAME = "kiosk.sqlite3"


def _resolve(env_var: str, configured: str, platform_dir: str) -> Path:
    """First non-empty of environment, configuration, platform default; created on demand.

    ``platform_dir`` names the platformdirs function giving the OS default.
    """
    chosen = os.environ.get(env_var, "").strip() or configured.strip()
    if not chosen:
        import platformdirs  # only when nothing overrides it: start-up need not import it

        chosen = getattr(platformdirs, platform_dir)(APP_NAME, appauthor=False)
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir(cfg: KioskConfig | None = None) -> Path:
    """Folder for the database and kiosk state (``KIOSK_DATA_DIR`` > ``kiosk.data_dir`` > OS)."""
    configured = cfg.kiosk.data_dir if cfg is not None else ""
    return _resolve(DATA_DIR_ENV, configured, "user_data_dir")


def log_dir(cfg: KioskConfig | None = None) -> Path:
    """Folder for kiosk.log and wire.log (``KIOSK_LOG_DIR`` > ``kiosk.log_dir`` > OS)."""
    configured = cfg.kiosk.log_dir if cfg is not None else ""
    return _resolve(LOG_DIR_ENV, configured, "user_log_dir")


def database_path(cfg: KioskConfig | None = None) -> Path:
    """The kiosk's SQLite file inside :func:`data_dir`."""
    return data_dir(cfg) / DATABASE_FILENAME


def cache_dir() -> Path:
    """Folder for the start-up cache (kiosk.startup_cache): ``KIOSK_CACHE_DIR`` > OS."""
    return _resolve(CACHE_DIR_ENV, "", "user_cache_dir")
