"""Enrollment with a one-time code and the changes feed applied to the kiosk's caches."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from kiosk.protocol import Change, ChangeKind, ChangesResponse
from kiosk.sync import pull
from kiosk.sync.enrollment import EnrollmentError, enroll, load_credentials
from kiosk.sync.models import BalanceCache, ResidentEntry, ServerCache
from kiosk.sync.state import is_revoked, read_cursor
from support.sync_fixtures import make_client


def test_enrollment_stores_credentials_and_authenticates_later_calls(live, kiosk_db, seed):
    client = make_client(live.url)
    creds = enroll(kiosk_db, client, seed["enroll_code"], "一号终端")
    assert load_credentials(kiosk_db) == creds
    assert creds.community_id == seed["community_id"]
    assert "secret" not in repr(creds) and creds.secret not in repr(creds)
    assert client.changes(0, 10).cursor >= 0  # authenticated
    client.close()


def test_a_used_code_is_refused_with_a_message_key_and_keeps_old_credentials(live, kiosk_db, seed):
    client = make_client(live.url)
    first = enroll(kiosk_db, client, seed["enroll_code"], "k")
    with pytest.raises(EnrollmentError) as info:
        enroll(kiosk_db, client, seed["enroll_code"], "k")
    client.close()
    assert info.value.key.startswith("enroll.")
    assert load_credentials(kiosk_db) == first


def test_re_enrollment_replaces_the_credentials(live, kiosk_db, seed):
    from server.testing import seed_minimal

    client = make_client(live.url)
    first = enroll(kiosk_db, client, seed["enroll_code"], "k")
    second = enroll(kiosk_db, client, seed_minimal(live.db_url)["enroll_code"], "k")
    client.close()
    assert second.kiosk_id != first.kiosk_id
    assert load_credentials(kiosk_db) == second


def test_pull_brings_public_keys_and_the_resident_directory_with_the_cursor(live, kiosk_db, enrolled, seed):
    applied = pull.pull_all(kiosk_db, enrolled, limit=2)  # several pages
    assert applied >= 4
    with kiosk_db.session() as s:
        keys = pull.load_keyring_data(s)
        residents = {r.resident_id: r for r in s.scalars(select(ResidentEntry))}
        cursor = read_cursor(s)
    assert seed["kid"] in [k["kid"] for k in keys] and all("public_key" in k for k in keys)
    assert set(seed["residents"]) <= set(residents)
    assert all("*" in r.masked_name for r in residents.values())
    assert cursor > 0
    assert pull.pull_all(kiosk_db, enrolled) == 0  # nothing new after the cursor


def _page(cursor, *changes):
    return ChangesResponse(changes=list(changes), cursor=cursor, more=False)


def test_each_change_kind_lands_in_its_table_in_one_transaction_with_the_cursor(kiosk_db):
    now = datetime.now(timezone.utc)
    page = _page(
        9,
        Change(seq=1, kind=ChangeKind.REVOKED_TOKEN, key="T1", data={"token_id": "ABCDEF0123456789"}),
        Change(seq=2, kind=ChangeKind.BALANCE, key="R-1", data={"resident_id": "R-1", "balance": 420}),
        Change(seq=3, kind=ChangeKind.KIOSK_CONFIG, key="all", data={"settings": {"canteen.open": True}}),
        Change(seq=4, kind=ChangeKind.MENU, key="2024-05-01:lunch", data={"dishes": ["米饭"]}),
        Change(seq=5, kind=ChangeKind.REQUEST_STATUS, key="TR-1", data={"tracking_no": "TR-1", "status": "accepted"}),
        Change(seq=6, kind=ChangeKind.BALANCE, key="R-1", data={"resident_id": "R-1", "balance": 380}),
        Change(seq=9, kind=ChangeKind.KIOSK_STATUS, key="K", data={"revoked": True}),
    )
    kiosk_db.write(lambda s: pull.apply_page(s, 0, page, now))
    with kiosk_db.session() as s:
        assert pull.revoked_token_ids(s) == {"ABCDEF0123456789"}
        assert s.get(BalanceCache, "R-1").balance == 380  # the later change wins
        assert pull.settings(s) == {"canteen.open": True}
        assert {(c.kind, c.key) for c in s.scalars(select(ServerCache))} == {
            ("menu", "2024-05-01:lunch"), ("request_status", "TR-1")}
        assert is_revoked(s) and read_cursor(s) == 9


def test_a_page_that_fails_to_apply_leaves_the_cursor_and_the_caches_unchanged(kiosk_db):
    page = _page(5, Change(seq=4, kind=ChangeKind.BALANCE, key="R-1", data={"resident_id": "R-1", "balance": 1}),
                 Change(seq=5, kind=ChangeKind.BALANCE, key="R-2", data={"resident_id": "R-2"}))  # no balance
    with pytest.raises(KeyError):
        kiosk_db.write(lambda s: pull.apply_page(s, 0, page, datetime.now(timezone.utc)))
    with kiosk_db.session() as s:
        assert read_cursor(s) == 0 and s.get(BalanceCache, "R-1") is None


def test_a_stale_cursor_is_not_applied_twice(kiosk_db):
    page = _page(3, Change(seq=3, kind=ChangeKind.BALANCE, key="R-1", data={"resident_id": "R-1", "balance": 1}))
    now = datetime.now(timezone.utc)
    kiosk_db.write(lambda s: pull.apply_page(s, 0, page, now))
    with pytest.raises(pull.CursorMoved):
        kiosk_db.write(lambda s: pull.apply_page(s, 0, page, now))
