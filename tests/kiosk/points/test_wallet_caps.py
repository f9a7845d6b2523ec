"""The offline wallet's local rules: reserve bound, per-spend, per-day and age caps, release."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from kiosk.points.models import PointsSpendRow
from kiosk.points.wallet import PointsError, Wallet, _store_grant
from kiosk.protocol import Outcome, ReserveGrant, RecordResult
from kiosk.sync import outbox
from kiosk.sync.models import OutboxRow

T0 = datetime(2024, 5, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _grant(db, amount: int, reserve_id: str = "RSV-1", resident: str = "R-1", as_of: datetime | None = None,
           granted_at: datetime = T0, expires: timedelta = timedelta(days=7)) -> None:
    grant = ReserveGrant(reserve_id=reserve_id, resident_id=resident, kiosk_id="K-1", amount=amount, balance=0,
                         expires_at=granted_at + expires)
    as_of = as_of or datetime.now(timezone.utc)
    db.write(lambda s: _store_grant(s, grant, as_of, granted_at))


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def wallet(kiosk_db, clock):
    from kiosk.sync.models import ResidentEntry

    def directory(s):  # as pulled from the server: are one family, R-3 lives alone
        for rid, family in (("R-1", "F-1"), ("R-2", "F-1"), ("R-3", None)):
            s.add(ResidentEntry(resident_id=rid, masked_name="王*国", birth_year=1950, family_id=family))

    kiosk_db.write(directory)
    return Wallet(kiosk_db, None, clock=clock)


def _spend(wallet, amount, payer="R-1", beneficiary="R-1"):
    return wallet.spend(payer, beneficiary, amount, "canteen", "canteen:C-01")


def _error(fn) -> str:
    with pytest.raises(PointsError) as info:
        fn()
    return info.value.key


def test_a_spend_commits_its_row_and_an_outbox_record_naming_the_reserve(kiosk_db, wallet):
    _grant(kiosk_db, 500)
    receipt = _spend(wallet, 120, beneficiary="R-2")
    assert (receipt.amount, receipt.remaining, receipt.reserve_id) == (120, 380, "RSV-1")
    with kiosk_db.session() as s:
        row = s.scalar(select(OutboxRow))
        spend = s.scalar(select(PointsSpendRow))
    assert (row.key, row.kind) == (str(receipt.key), "points.spend")
    assert row.payload == {"payer_id": "R-1", "beneficiary_id": "R-2", "amount": 120, "purpose": "canteen",
                           "merchant_id": "canteen:C-01", "reserve_id": "RSV-1"}
    assert spend.outbox_key == str(receipt.key) and spend.local_day == "2024-05-01"
    assert wallet.available("R-1") == 380


def test_no_reserve_is_refused(wallet):
    assert _error(lambda: _spend(wallet, 10)) == "points.no_reserve"


def test_a_spend_beyond_the_reserve_is_refused_and_commits_nothing(kiosk_db, wallet):
    _grant(kiosk_db, 100)
    _spend(wallet, 80)
    assert _error(lambda: _spend(wallet, 30)) == "points.reserve_exceeded"
    with kiosk_db.session() as s:
        assert outbox.pending_count(s) == 1


def test_per_spend_cap_is_300_points(kiosk_db, wallet):
    _grant(kiosk_db, 600)
    assert _error(lambda: _spend(wallet, 301)) == "points.offline_cap"
    _spend(wallet, 300)


def test_per_day_cap_is_600_points_and_resets_the_next_local_day(kiosk_db, wallet, clock):
    _grant(kiosk_db, 2000)
    _spend(wallet, 300)
    _spend(wallet, 300)
    assert _error(lambda: _spend(wallet, 1)) == "points.daily_cap"
    clock.now = T0 + timedelta(hours=14)  # 00:00 the next day in Shanghai
    _spend(wallet, 300)


def test_per_day_count_cap_is_5_spends(kiosk_db, wallet):
    _grant(kiosk_db, 600)
    for _ in range(5):
        _spend(wallet, 10)
    assert _error(lambda: _spend(wallet, 10)) == "points.daily_count_cap"


def test_a_reserve_older_than_7_days_or_past_its_expiry_is_refused(kiosk_db, wallet, clock):
    _grant(kiosk_db, 500, expires=timedelta(days=30))
    clock.now = T0 + timedelta(days=7, seconds=1)
    assert _error(lambda: _spend(wallet, 10)) == "points.reserve_expired"
    assert wallet.available("R-1") == 0
    _grant(kiosk_db, 500, reserve_id="RSV-2", resident="R-2", granted_at=clock.now, expires=timedelta(hours=1))
    clock.now += timedelta(hours=2)
    assert _error(lambda: _spend(wallet, 10, payer="R-2", beneficiary="R-2")) == "points.reserve_expired"


def test_paying_for_someone_is_allowed_only_within_the_family_the_kiosk_knows(kiosk_db, wallet):
    _grant(kiosk_db, 500)
    assert _spend(wallet, 10, beneficiary="R-2").amount == 10
    assert _error(lambda: _spend(wallet, 10, beneficiary="R-3")) == "points.not_family"
    assert _error(lambda: _spend(wallet, 10, beneficiary="R-404")) == "points.not_family"  # not pulled yet


def test_release_queues_a_reserve_release_after_the_spends_and_closes_the_reserve(kiosk_db, wallet):
    _grant(kiosk_db, 500)
    _spend(wallet, 50)
    assert wallet.release("R-1") == ["RSV-1"]
    with kiosk_db.session() as s:
        kinds = [(r.kind, r.payload.get("reserve_id")) for r in s.scalars(select(OutboxRow).order_by(OutboxRow.seq))]
    assert kinds == [("points.spend", "RSV-1"), ("reserve.release", "RSV-1")]
    assert wallet.available("R-1") == 0
    assert _error(lambda: _spend(wallet, 10)) == "points.no_reserve"


def test_a_lower_amount_from_the_changes_feed_caps_what_is_available(kiosk_db, wallet):
    _grant(kiosk_db, 500)
    from kiosk.points.models import Reserve

    def pulled(s):
        s.get(Reserve, "RSV-1").server_amount = 120

    kiosk_db.write(pulled)
    assert wallet.available("R-1") == 120


def test_spends_delivered_before_a_top_up_are_not_counted_twice(kiosk_db, wallet):
    _grant(kiosk_db, 500)
    receipt = _spend(wallet, 100)
    kiosk_db.write(lambda s: outbox.mark(s, [RecordResult(key=receipt.key, outcome=Outcome.APPLIED, status_code=200)]))
    # The server now holds 400; a later grant (asked after the delivery) says so.
    _grant(kiosk_db, 400, as_of=datetime.now(timezone.utc) + timedelta(seconds=1))
    assert wallet.available("R-1") == 400
    # A grant asked before the delivery was recorded may not include it: counted again (safe side).
    _grant(kiosk_db, 400, as_of=datetime.now(timezone.utc) - timedelta(hours=1))
    assert wallet.available("R-1") == 300


def test_dead_lettered_spends_give_their_points_back_to_the_reserve(kiosk_db, wallet):
    _grant(kiosk_db, 200)
    receipt = _spend(wallet, 150)
    kiosk_db.write(lambda s: outbox.mark(s, [RecordResult(key=receipt.key, outcome=Outcome.REJECTED, status_code=422)]))
    assert wallet.available("R-1") == 200


def test_without_a_server_a_reserve_cannot_be_asked_for(wallet):
    assert _error(lambda: wallet.ensure_reserve("R-1", 100)) == "points.server_needed"


def test_amounts_must_be_positive(kiosk_db, wallet):
    _grant(kiosk_db, 200)
    assert _error(lambda: _spend(wallet, 0)) == "points.invalid_amount"
