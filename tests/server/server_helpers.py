"""Helpers shared by the server tests: outbox records, effect counts, HTTP timeouts."""

from __future__ import annotations

import uuid
from typing import Any

from server.db import utc_now

TIMEOUT_S = (3.05, 15)


def record(kind: str, payload: dict[str, Any], key: uuid.UUID | None = None) -> dict[str, Any]:
    return {"key": str(key or uuid.uuid4()), "kind": kind, "payload": payload,
            "created_at": utc_now().isoformat()}


def effect_count(db_url: str, key: str) -> int:
    """How many times a test handler's effect for record ``key`` is in the database."""
    from sqlalchemy import func, select

    from server.changes import ChangeRow
    from server.db import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            return s.scalar(select(func.count()).select_from(ChangeRow).where(ChangeRow.key == f"echo:{key}"))
    finally:
        engine.dispose()
