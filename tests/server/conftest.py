"""Server test fixtures: temporary SQLite and PostgreSQL databases, a live server, test-only handlers."""

from __future__ import annotations

import itertools
import os
import uuid
from datetime import datetime, timedelta
from typing import Any, Iterator

import pytest
import requests

from kiosk.protocol import API_PREFIX, ChangeKind, auth_header
from server.changes import record_change
from server.db import utc_now
from server.handlers import Rejected, registry
from server.testing import ServerThread, seed_minimal
from tests.server.server_helpers import TIMEOUT_S

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
_pg_counter = itertools.count()


def pg_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL at 127.0.0.1:5432 unreachable ({type(exc).__name__})"


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh uniquely named PostgreSQL database, dropped afterwards; skips when PG is unreachable."""
    reason = pg_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"kiosk_test_{os.getpid()}_{next(_pg_counter)}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Clock:
    """A settable clock handed to create_app(now=...)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset


class Live:
    """A running server over a seeded database, with helpers to enroll and call it."""

    def __init__(self, db_url: str, clock: Clock) -> None:
        self.db_url = db_url
        self.clock = clock
        self.seed = seed_minimal(db_url)
        self.server = ServerThread(db_url, now=clock)

    @property
    def base(self) -> str:
        return self.server.base_url + API_PREFIX

    def new_code(self) -> str:
        return seed_minimal(self.db_url)["enroll_code"]

    def enroll(self, code: str | None = None) -> tuple[str, dict[str, str]]:
        """Enroll a kiosk; returns (kiosk_id, auth headers)."""
        body = {"code": code or self.new_code(), "kiosk_name": "测试机", "install_id": uuid.uuid4().hex,
                "version": "0.1.0"}
        r = requests.post(self.base + "/enroll", json=body, timeout=TIMEOUT_S)
        assert r.status_code == 200, r.text
        data = r.json()
        return data["kiosk_id"], auth_header(data["kiosk_id"], data["secret"])

    def push(self, headers: dict[str, str], records: list[dict[str, Any]]) -> requests.Response:
        return requests.post(self.base + "/sync/push", json={"records": records}, headers=headers, timeout=TIMEOUT_S)

    def changes(self, headers: dict[str, str], cursor: int = 0, limit: int | None = None) -> dict[str, Any]:
        params = {"cursor": cursor} | ({"limit": limit} if limit else {})
        r = requests.get(self.base + "/sync/changes", params=params, headers=headers, timeout=TIMEOUT_S)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def live(sqlite_url) -> Iterator[Live]:
    srv = Live(sqlite_url, Clock())
    with srv.server:
        yield srv


@pytest.fixture
def live_pg(pg_url) -> Iterator[Live]:
    srv = Live(pg_url, Clock())
    with srv.server:
        yield srv


@pytest.fixture
def test_handlers() -> Iterator[dict[str, Any]]:
    """Registers test-only kinds: test.echo (writes one change row per application, keyed by the
    record key), test.reject (writes, then raises Rejected), test.boom (writes, then crashes
    while ``state['boom']``), test.slow (sleeps ``state['slow_s']`` after writing)."""
    import time

    state: dict[str, Any] = {"boom": True, "slow_s": 0.0}

    def effect(session, ctx, payload) -> None:  # noqa: ANN001
        record_change(session, ChangeKind.KIOSK_CONFIG, f"echo:{ctx.key}", {"payload": payload},
                      audience_kiosk_id="K-NOBODY")

    def echo(session, ctx, payload):  # noqa: ANN001, ANN202
        effect(session, ctx, payload)
        return {"echo": payload, "kiosk_id": ctx.kiosk_id}

    def reject(session, ctx, payload):  # noqa: ANN001, ANN202
        effect(session, ctx, payload)
        raise Rejected("test.refused", 409, reason="because")

    def boom(session, ctx, payload):  # noqa: ANN001, ANN202
        effect(session, ctx, payload)
        if state["boom"]:
            raise RuntimeError("transient")
        return {"ok": True}

    def slow(session, ctx, payload):  # noqa: ANN001, ANN202
        effect(session, ctx, payload)
        time.sleep(state["slow_s"])
        return {"slow": True}

    kinds = {"test.echo": echo, "test.reject": reject, "test.boom": boom, "test.slow": slow}
    for kind, fn in kinds.items():
        registry.register(kind)(fn)
    try:
        yield state
    finally:
        for kind in kinds:
            registry.handlers.pop(kind, None)
