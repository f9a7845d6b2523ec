"""Ledger test databases: a migrated SQLite file per test; PostgreSQL databases cloned from a migrated template."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from datetime import date

import pytest

from server.db import make_engine, make_sessionmaker
from server.ledger.directory import DictDirectory, set_default_directory

PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def build_schema(url: str) -> None:
    """The real migrations when the server ships them, else the ledger's and the feed's tables only."""
    try:
        from server.migrate import upgrade
    except ModuleNotFoundError:  # pragma: no cover - before server.migrate existed
        from server.changes import ChangeRow
        from server.db import Base
        from server.ledger import models

        engine = make_engine(url)
        tables = [ChangeRow.__table__, models.Account.__table__, models.LedgerTx.__table__,
                  models.Movement.__table__, models.Reserve.__table__]
        Base.metadata.create_all(engine, tables=tables)
        engine.dispose()
        return
    upgrade(url)


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_DSN, autocommit=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("ledger-template") / "template.db"
    build_schema(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path):
    path = tmp_path / "ledger.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def pg_template():
    """A migrated template database, or the reason PostgreSQL cannot be used."""
    try:
        admin = _pg_admin()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not reachable"
        yield f"PostgreSQL not reachable on 127.0.0.1:5432 as postgres: {exc.__class__.__name__}"
        return
    name = f"ledger_tmpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        build_schema(PG_URL.format(name=name))
        yield {"name": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url(pg_template):
    if isinstance(pg_template, str):
        pytest.skip(pg_template)
    name = f"ledger_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template["name"]}"')
    yield PG_URL.format(name=name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request):
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
    # Run finalizers of connections kept alive by tracebacks now, not inside a later ast.parse:
    # CPython 3.11.7 aborts with "AST constructor recursion depth mismatch" when GC runs them there.
    gc.collect()


@pytest.fixture
def sessions(engine):
    """A sessionmaker on the test database."""
    return make_sessionmaker(engine)


@pytest.fixture
def directory():
    """Residents R-A, R-B, R-C form family F-1; R-D is alone; R-OLD was born in 1935 (85+)."""
    d = DictDirectory(families={"F-1": ["R-A", "R-B", "R-C"]}, births={"R-OLD": date(1935, 3, 1), "R-A": date(1950, 1, 1)})
    previous = set_default_directory(d)
    yield d
    set_default_directory(previous)
