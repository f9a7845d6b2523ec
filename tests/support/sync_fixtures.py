"""Pytest fixtures for kiosk sync tests: a live reference server, a kiosk database, an enrolled client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from kiosk.storage import Database, open_database
from kiosk.sync.enrollment import enroll
from kiosk.sync.transport import ServerClient
from support.live_server import live_server


@dataclass
class Live:
    url: str  # base URL of the running server
    db_url: str  # its database, to count effects


@pytest.fixture(scope="module")
def live_db_url(tmp_path_factory) -> str:
    """A migrated server database shared by the tests of one module."""
    from server.migrate import upgrade

    db_url = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.db'}"
    upgrade(db_url)
    return db_url


@pytest.fixture
def live(live_db_url: str) -> Iterator[Live]:
    """The real reference server, started for one test (its worker threads end with it)."""
    with live_server(live_db_url, migrate=False) as server:
        yield Live(server.base_url, live_db_url)


@pytest.fixture
def kiosk_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "kiosk.sqlite3")
    yield db
    db.close()


def make_client(url: str, **kw: Any) -> ServerClient:
    kw.setdefault("connect_timeout_s", 1.0)
    kw.setdefault("read_timeout_s", 5.0)
    kw.setdefault("deadline_s", 10.0)
    return ServerClient(url, **kw)


@pytest.fixture
def seed(live: Live) -> dict[str, Any]:
    """Community, residents, staff and a fresh enrollment code on the live server."""
    from server.testing import seed_minimal

    return seed_minimal(live.db_url)


@pytest.fixture
def enrolled(live: Live, kiosk_db: Database, seed: dict[str, Any]) -> Iterator[ServerClient]:
    """A client of the live server whose kiosk enrolled with a fresh code (credentials stored)."""
    client = make_client(live.url)
    enroll(kiosk_db, client, seed["enroll_code"], "测试终端")
    yield client
    client.close()


def award_points(db_url: str, resident_id: str, points: int) -> None:
    """Give a resident points on the server through the ledger (staff award)."""
    from server.db import make_engine, make_sessionmaker
    from server.ledger.movements import award

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            award(session, resident_id, points, "harmony", "test", "staff", "S-0001")
    finally:
        engine.dispose()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
