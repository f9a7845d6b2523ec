"""Storage errors with a translatable message key and the database path, never a traceback."""

from __future__ import annotations

from pathlib import Path

from kiosk.i18n import N_


class StorageError(Exception):
    """The kiosk database cannot be used.

    ``key`` is a catalogue message id without placeholders (for residents and staff), ``path``
    the database file and ``detail`` a short technician-facing English reason from SQLite or
    Alembic; ``str(err)`` joins all three for logs and the doctor report.
    """

    CANNOT_OPEN = N_("storage.cannot_open")
    DAMAGED = N_("storage.damaged")
    UNKNOWN_SCHEMA = N_("storage.unknown_schema")
    MIGRATION_FAILED = N_("storage.migration_failed")

    def __init__(self, key: str, path: Path | str, detail: str = "") -> None:
        self.key = key
        self.path = Path(path)
        self.detail = detail
        self.params: dict[str, object] = {}
        super().__init__(f"{key}: {self.path}" + (f": {detail}" if detail else ""))
