"""Ops fixtures: the live reference server, a kiosk database, an enrolled client (tests/support)."""

from support.sync_fixtures import enrolled, kiosk_db, live, live_db_url, seed  # noqa: F401
