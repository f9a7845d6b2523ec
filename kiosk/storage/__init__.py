"""Kiosk storage: SQLite via SQLAlchemy 2, Alembic migrations, one writer thread."""

from kiosk.storage.database import Database, open_database
from kiosk.storage.errors import StorageError
from kiosk.storage.models import AppMeta, Base, SessionLog

__all__ = ["AppMeta", "Base", "Database", "SessionLog", "StorageError", "open_database"]
