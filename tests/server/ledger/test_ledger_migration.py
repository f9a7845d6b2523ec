"""Migration 0002_ledger creates exactly the ledger models' schema, with the append-only triggers."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from server.db import Base
from server.ledger import models

LEDGER_TABLES = {t.name for t in (models.Account.__table__, models.LedgerTx.__table__,
                                  models.Movement.__table__, models.Reserve.__table__)}


def test_migrated_ledger_schema_has_no_drift_from_the_models(engine):
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        names = set(inspect(conn).get_table_names())
    assert LEDGER_TABLES <= names
    ledger_diffs = [d for d in diffs if repr(d).find("ledger_") >= 0]
    assert ledger_diffs == []


def test_append_only_triggers_exist_after_migration(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            assert {"ledger_tx_no_update", "ledger_tx_no_delete", "ledger_movement_no_update",
                    "ledger_movement_no_delete"} <= found
        else:
            found = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            assert {"ledger_tx_append_only", "ledger_movement_append_only"} <= found
