"""Who is in which family and how old: the ledger's read-only view of residents (injectable for tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session


class ResidentDirectory(Protocol):
    """Read-only resident facts the ledger needs; every method runs in the caller's session/thread."""

    def family_id(self, session: Session, resident_id: str) -> str | None:
        """The resident's family id, or None when not bound to a family (or unknown)."""

    def family_members(self, session: Session, family_id: str) -> list[str]:
        """Resident ids bound to ``family_id``, sorted."""

    def birth_date(self, session: Session, resident_id: str) -> date | None:
        """The resident's birth date, or None when unknown."""


class TableDirectory:
    """Reads H1's ``residents`` table (columns ``id``, ``family_id``, ``birth_date``) when it exists.

    Without that table (or column) every answer is "unknown": nobody is in a family, no age.
    """

    def _has(self, session: Session, column: str) -> bool:
        conn = session.connection()
        insp = inspect(conn)
        if not insp.has_table("residents"):
            return False
        return column in {c["name"] for c in insp.get_columns("residents")}

    def family_id(self, session: Session, resident_id: str) -> str | None:
        if not self._has(session, "family_id"):
            return None
        return session.execute(
            text("SELECT family_id FROM residents WHERE id = :id"), {"id": resident_id}
        ).scalar_one_or_none()

    def family_members(self, session: Session, family_id: str) -> list[str]:
        if not self._has(session, "family_id"):
            return []
        rows = session.execute(
            text("SELECT id FROM residents WHERE family_id = :f ORDER BY id"), {"f": family_id}
        ).scalars()
        return list(rows)

    def birth_date(self, session: Session, resident_id: str) -> date | None:
        if not self._has(session, "birth_date"):
            return None
        value = session.execute(
            text("SELECT birth_date FROM residents WHERE id = :id"), {"id": resident_id}
        ).scalar_one_or_none()
        if isinstance(value, str):  # SQLite text column
            return date.fromisoformat(value[:10])
        return value


@dataclass
class DictDirectory:
    """An in-memory directory: ``families`` maps family id -> member ids; ``births`` resident -> date."""

    families: dict[str, list[str]] = field(default_factory=dict)
    births: dict[str, date] = field(default_factory=dict)

    def family_id(self, session: Session, resident_id: str) -> str | None:
        for fid, members in self.families.items():
            if resident_id in members:
                return fid
        return None

    def family_members(self, session: Session, family_id: str) -> list[str]:
        return sorted(self.families.get(family_id, []))

    def birth_date(self, session: Session, resident_id: str) -> date | None:
        return self.births.get(resident_id)


_default: ResidentDirectory = TableDirectory()


def default_directory() -> ResidentDirectory:
    """The directory used when a caller passes none (the ``residents`` table)."""
    return _default


def set_default_directory(directory: ResidentDirectory) -> ResidentDirectory:
    """Replace the default directory (tests, or a server wiring its own); returns the previous one."""
    global _default
    previous, _default = _default, directory
    return previous


def same_family(session: Session, a: str, b: str, directory: ResidentDirectory | None = None) -> bool:
    """True when ``a`` and ``b`` are the same resident or bound to the same family."""
    if a == b:
        return True
    d = directory or default_directory()
    fa = d.family_id(session, a)
    return fa is not None and fa == d.family_id(session, b)
