"""Health core fixtures: a migrated kiosk database and the default thresholds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import KioskConfig
from kiosk.health.ranges import HealthThresholds, thresholds_from_config
from kiosk.storage import Database, open_database


@pytest.fixture
def health_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "kiosk.sqlite3")
    yield db
    db.close()


@pytest.fixture
def thresholds() -> HealthThresholds:
    return thresholds_from_config(KioskConfig())
