"""The health migration and handlers on PostgreSQL (the production database)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from server.db import make_engine
from server.migrate import current, head, target_metadata, upgrade
from tests.server.health.health_helpers import alerts, bp, check_payload, check_record, consent_record, spo2

HEALTH_TABLES = {"health_consent", "health_check", "health_observation", "health_alert"}


def _table_of(diff) -> str | None:  # noqa: ANN001
    """The table an autogenerate difference is about (None when it cannot tell: counted as ours)."""
    item = diff[0] if isinstance(diff, list) else diff
    if item[0] in ("add_table", "remove_table"):
        return item[1].name
    if item[0].startswith(("add_column", "remove_column", "modify_")):
        return item[2]
    obj = item[1]  # an index or a constraint (unique, check, foreign key)
    table = getattr(obj, "table", None)
    return getattr(table, "name", None)


def test_health_migration_creates_exactly_the_health_models_on_postgresql(pg_url):
    upgrade(pg_url)
    assert current(pg_url) == head()
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert HEALTH_TABLES <= set(inspect(conn).get_table_names())
            columns = {c["name"]: c for c in inspect(conn).get_columns("health_observation")}
            assert columns["resource"]["type"].__class__.__name__ == "JSON"
            assert columns["effective_at"]["type"].timezone is True
            fks = inspect(conn).get_foreign_keys("health_alert")
            assert [(f["referred_table"], f["referred_columns"]) for f in fks] == [("health_check", ["id"])]
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), target_metadata())
    finally:
        engine.dispose()
    assert [d for d in diffs if _table_of(d) in HEALTH_TABLES | {None}] == []


def test_checks_and_alerts_are_stored_on_postgresql(live_pg):
    _, headers = live_pg.enroll()
    payload = check_payload([bp(128, 84), spo2(89, 101)])
    r = live_pg.push(headers, [consent_record(), check_record(payload)])
    consent, check = r.json()["results"]
    assert (consent["outcome"], check["outcome"], check["result"]["alert"]) == ("applied", "applied", True)
    assert alerts(live_pg.db_url) == [(payload["check_id"], "open", ["spo2.see_doctor"])]
