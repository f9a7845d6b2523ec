"""A live canteen server (SQLite, settable clock) and enrolled kiosks for the kiosk-side canteen tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from support.canteen_world import Clock, KioskSide, make_kiosk, new_code, seed_canteen


@dataclass
class World:
    db_url: str
    url: str
    clock: Clock
    seed: dict[str, Any]
    root: Path
    kiosks: list[KioskSide] = field(default_factory=list)

    def kiosk(self, name: str = "k") -> KioskSide:
        side = make_kiosk(self.url, self.root / f"{name}-{len(self.kiosks)}.sqlite3", new_code(self.db_url),
                          self.clock, name)
        self.kiosks.append(side)
        return side


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    from server.testing import ServerThread

    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_canteen(db_url, counters=2, capacity=20)
    clock = Clock()
    with ServerThread(db_url, migrate=False, now=clock) as server:
        w = World(db_url, server.base_url, clock, seed, tmp_path)
        try:
            yield w
        finally:
            for side in w.kiosks:
                side.close()
