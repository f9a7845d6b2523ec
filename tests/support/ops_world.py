"""Helpers for the operations tests: staff directory entries as the server sends them, a moving clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.protocol import Change, ChangeKind, ChangesResponse, StaffEntryData, pin_hash
from kiosk.sync.pull import apply_page
from kiosk.sync.state import Credentials, read_cursor, write_credentials


@dataclass
class Clock:
    """An aware UTC clock that tests move by hand."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def pull_changes(db: Any, *changes: tuple[ChangeKind, str, dict[str, Any]]) -> None:
    """Apply changes to the kiosk database exactly as a pulled page would be applied."""
    def apply(session) -> None:  # noqa: ANN001
        cursor = read_cursor(session)
        page = ChangesResponse(changes=[Change(seq=cursor + i + 1, kind=kind, key=key, data=data)
                                        for i, (kind, key, data) in enumerate(changes)],
                               cursor=cursor + len(changes), more=False)
        apply_page(session, cursor, page, datetime.now(timezone.utc))

    db.write(apply)


def staff_change(staff_id: str, masked_name: str, role: str, community_id: str, pin: str | None,
                 active: bool = True) -> tuple[ChangeKind, str, dict[str, Any]]:
    data = StaffEntryData(staff_id=staff_id, masked_name=masked_name, role=role, community_id=community_id,
                          pin_hash=pin_hash(pin) if pin else None, active=active)
    return ChangeKind.STAFF, staff_id, data.model_dump(mode="json")


def set_community(db: Any, community_id: str, kiosk_id: str = "K-TEST0001") -> None:
    """Credentials as after enrollment (the kiosk's community decides whose staff may sign in)."""
    db.write(lambda s: write_credentials(s, Credentials(kiosk_id, "secret", community_id, "http://127.0.0.1:1")))


@contextmanager
def ops_kiosk(tmp_path: Path, server_url: str, enroll_code: str, name: str,
              devices: dict[str, dict[str, Any]] | None = None) -> Iterator[Any]:
    """A silent runtime on its own database, enrolled with the live server; ``runtime.sync`` holds a
    real client and a relay whose thread is NOT started (tests call ``runtime.sync.relay.step()``)."""
    from kiosk.sync.enrollment import enroll
    from kiosk.sync.relay import Relay
    from kiosk.sync.service import SyncService, make_client
    from support.kiosk_world import kiosk_runtime

    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    with kiosk_runtime(folder, devices) as runtime:
        runtime.config.server.url = server_url
        runtime.config.kiosk.name = name
        client = make_client(runtime.config.server)
        enroll(runtime.database, client, enroll_code, name)
        runtime.sync = SyncService(client, Relay(runtime.database, client), wallet=None)
        yield runtime


def new_enroll_code(db_url: str, community_id: str) -> str:
    """A fresh one-time enrollment code for ``community_id`` on the server at ``db_url``."""
    from server.db import make_engine, make_sessionmaker, utc_now
    from server.kiosk_admin import new_enrollment_code
    from server.txn import in_transaction

    engine = make_engine(db_url)
    try:
        return in_transaction(make_sessionmaker(engine),
                              lambda s: new_enrollment_code(s, community_id, ttl_hours=1, now=utc_now()))
    finally:
        engine.dispose()


def on_server(db_url: str, fn: Any) -> Any:
    """Run ``fn(session)`` in one transaction on the server database."""
    from server.db import make_engine, make_sessionmaker
    from server.txn import in_transaction

    engine = make_engine(db_url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()
