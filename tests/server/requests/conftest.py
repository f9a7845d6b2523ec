"""Fixtures of the server request tests: a seeded database with the catalog, and a session runner."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from server.db import make_engine, make_sessionmaker, utc_now
from server.requests.catalog import seed_catalog
from server.testing import seed_minimal
from server.txn import in_transaction



class Db:
    """A migrated, seeded server database (3 residents of C-01, the request catalog)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seed = seed_minimal(url)
        self.engine = make_engine(url)
        self.factory = make_sessionmaker(self.engine)
        self.run(lambda s: seed_catalog(s, now=utc_now()))

    def run(self, fn: Callable[[Any], Any]) -> Any:
        """``fn(session)`` in one committed transaction."""
        return in_transaction(self.factory, fn)


@pytest.fixture
def db(sqlite_url) -> Iterator[Db]:
    d = Db(sqlite_url)
    yield d
    d.engine.dispose()


@pytest.fixture
def db_pg(pg_url) -> Iterator[Db]:
    d = Db(pg_url)
    yield d
    d.engine.dispose()


@pytest.fixture(scope="module")
def module_db(tmp_path_factory) -> Iterator[Db]:
    """One seeded database shared by the tests of a module (for many small independent cases)."""
    d = Db(f"sqlite:///{tmp_path_factory.mktemp('requests') / 'server.db'}")
    yield d
    d.engine.dispose()
