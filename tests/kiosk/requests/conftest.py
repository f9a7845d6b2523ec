"""Sync fixtures (live reference server, kiosk database, enrolled client) from tests/support."""

from support.sync_fixtures import enrolled, kiosk_db, live, live_db_url, seed  # noqa: F401
