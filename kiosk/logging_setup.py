"""Rotating kiosk.log and wire.log with a filter that redacts personal data from every record."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

KIOSK_LOG = "kiosk.log"
WIRE_LOG = "wire.log"
WIRE_LOGGER = "devices.wire"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

PHONE_MASK = "1xx****xxxx"
ID_CARD_MASK = "xxxxxx********xxxx"
PERSONAL_MASK = "[personal]"

# Mainland mobile numbers, optionally +86/0086-prefixed and grouped 3-4-4 with spaces or dashes.
# Patterns, compiled (and kept) by ``re`` on first use: not at import, before the first paint.
_PHONE = r"(?<![\dA-Za-z])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
# Resident ID cards: 17 digits and a check digit or X.
_ID_CARD = r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"


def redact(text: str, personal: tuple[str, ...] = ()) -> str:
    """``text`` with ID card numbers, mobile numbers and the given personal values masked."""
    for value in personal:
        if value:
            text = text.replace(value, PERSONAL_MASK)
    text = re.sub(_ID_CARD, ID_CARD_MASK, text)
    return re.sub(_PHONE, PHONE_MASK, text)


def _personal_values(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(v for item in value for v in _personal_values(item))
    return (str(value),)


class PersonalDataFilter(logging.Filter):
    """Safety net on every handler: masks phone and ID numbers and ``extra={"personal": ...}``.

    Code must still never log personal data; this only limits the harm when it happens.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        personal = _personal_values(getattr(record, "personal", None))
        if hasattr(record, "personal"):
            record.personal = PERSONAL_MASK
        message = record.getMessage()
        record.msg = redact(message, personal)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, personal)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, personal)
        return True


class LogFiles(NamedTuple):  # not a dataclass: this module is imported before the first paint
    kiosk_log: Path
    wire_log: Path


_installed: list[tuple[logging.Logger, logging.Handler]] = []
_saved_levels: dict[str, int] = {}


def _level(value: str | int) -> int:
    if isinstance(value, int):
        return value
    level = logging.getLevelName(value.upper())
    if not isinstance(level, int):
        raise ValueError(f"unknown log level {value!r}")
    return level


class _EarlyRecords(logging.Handler):
    """Keeps the records logged before the log files are open (see :func:`hold_early_records`)."""

    LIMIT = 1000

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < self.LIMIT:
            self.records.append(record)


_early: _EarlyRecords | None = None  # holding records until configure_logging()


def hold_early_records() -> None:
    """Keep INFO and above in memory until :func:`configure_logging` writes them to the files.

    The kiosk opens its log files just after the first paint (the rotating handlers' imports are
    not needed to draw the home screen); nothing logged before that is lost.
    """
    global _early
    if _early is None:
        _early = _EarlyRecords()
        logging.getLogger().addHandler(_early)
        _saved_levels.setdefault("", logging.getLogger().level)
        logging.getLogger().setLevel(logging.INFO)


def _release_early_records() -> list[logging.LogRecord]:
    global _early
    if _early is None:
        return []
    handler, _early = _early, None
    logging.getLogger().removeHandler(handler)
    return handler.records


def _rotating(path: Path, level: int, max_bytes: int, backup_count: int) -> logging.Handler:
    import logging.handlers  # here, not at import: start-up paints the home screen first

    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(PersonalDataFilter())
    return handler


def _attach(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.addHandler(handler)
    _installed.append((logger, handler))


def configure_logging(
    log_dir: Path,
    level: str | int = "INFO",
    wire_level: str | int = "DEBUG",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backup_count: int = DEFAULT_BACKUP_COUNT,
    console: bool = False,
) -> LogFiles:
    """Send root logging to ``log_dir/kiosk.log`` and ``devices.wire.*`` to ``wire.log`` only.

    Call once at start-up from the main thread; calling again replaces the previous handlers
    (no duplicates). ``console`` adds a stderr handler at ``level`` for development. Records held
    by :func:`hold_early_records` are written first, in order.
    """
    early = _release_early_records()
    shutdown_logging()
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    files = LogFiles(log_dir / KIOSK_LOG, log_dir / WIRE_LOG)
    root, wire = logging.getLogger(), logging.getLogger(WIRE_LOGGER)
    _saved_levels.update({"": root.level, WIRE_LOGGER: wire.level})

    root.setLevel(_level(level))
    _attach(root, _rotating(files.kiosk_log, _level(level), max_bytes, backup_count))
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(_level(level))
        stream.setFormatter(logging.Formatter(LOG_FORMAT))
        stream.addFilter(PersonalDataFilter())
        _attach(root, stream)

    # Technicians' hex dumps are noisy: keep them out of kiosk.log.
    wire.setLevel(_level(wire_level))
    wire.propagate = False
    _attach(wire, _rotating(files.wire_log, _level(wire_level), max_bytes, backup_count))
    logging.captureWarnings(True)
    for record in early:
        logger = logging.getLogger(record.name)
        if record.levelno >= logger.getEffectiveLevel():
            logger.handle(record)
    return files


def shutdown_logging() -> None:
    """Detach and close the handlers installed by :func:`configure_logging`; safe to repeat."""
    _release_early_records()
    while _installed:
        logger, handler = _installed.pop()
        logger.removeHandler(handler)
        handler.close()
    if _saved_levels:
        logging.getLogger().setLevel(_saved_levels.pop("", logging.WARNING))
        wire = logging.getLogger(WIRE_LOGGER)
        wire.setLevel(_saved_levels.pop(WIRE_LOGGER, logging.NOTSET))
        wire.propagate = True
        logging.captureWarnings(False)
