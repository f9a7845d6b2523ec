"""The real reference server for kiosk-side tests, plus a counting record kind to detect duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text

from kiosk.protocol import ChangeKind

COUNT_KIND = "test.count"
_NOBODY = "__test_nobody__"


def register_count_kind() -> None:
    """Register ``test.count`` on the server's default handler registry (once per process).

    Its effect is one change_log row per application, keyed ``count:<record key>`` and addressed
    to no kiosk: counting those rows shows how often each record was really applied.
    """
    from server.changes import record_change
    from server.handlers import registry

    if registry.get(COUNT_KIND) is not None:
        return

    @registry.register(COUNT_KIND)
    def _count(session, ctx, payload):  # noqa: ANN001, ANN202
        record_change(session, ChangeKind.REQUEST_STATUS, f"count:{ctx.key}", dict(payload), _NOBODY)
        return {"n": payload.get("n")}


def applied_counts(db_url: str) -> list[tuple[str, int, Any]]:
    """(record key, times applied, payload n) per counted record, in the order first applied."""
    from server.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT key, COUNT(*), MIN(seq) FROM change_log WHERE key LIKE 'count:%' GROUP BY key ORDER BY MIN(seq)"
            )).all()
            data = {r[0]: r[1] for r in conn.execute(text("SELECT key, data FROM change_log WHERE key LIKE 'count:%'"))}
    finally:
        engine.dispose()
    import json

    out = []
    for key, n, _seq in rows:
        payload = data[key]
        payload = json.loads(payload) if isinstance(payload, str) else payload
        out.append((key.removeprefix("count:"), n, payload.get("n")))
    return out


@contextmanager
def live_server(db_url: str, port: int = 0, *, migrate: bool = True) -> Iterator[Any]:
    """A started ServerThread on ``db_url`` (migrated) with the counting kind registered."""
    from server.testing import ServerThread

    register_count_kind()
    with ServerThread(db_url, port=port, migrate=migrate) as server:
        yield server
