"""Offline reserves: grant caps, spends within and beyond a reserve, release, expiry and the pushed handlers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

import server.ledger.handlers  # noqa: F401 - registers the handlers
from kiosk.protocol import PointsSpend, RecordKind, ReserveGrant, ReserveRelease
from server.changes import ChangeRow, changes_after
from server.db import utc_now
from server.handlers import RecordContext, registry
from server.ledger.errors import LedgerError
from server.ledger.models import Reserve
from server.ledger.movements import award, balance, check_invariants, resident_balance
from server.ledger.reserves import RESERVE_POLICY, grant_reserve, release_expired, release_reserve

T0 = utc_now().replace(microsecond=0)


def _fund(s, rid="R-1", points=1000):
    award(s, rid, points, "harmony", "seed", "system", None, now=T0)


def _grant(s, amount, rid="R-1", kiosk="K-1", key=None, now=T0):
    return grant_reserve(s, kiosk_id=kiosk, resident_id=rid, amount=amount, key=key or uuid.uuid4(), now=now)


def _push(s, kind, payload, kiosk="K-1", operator_id=None):
    ctx = RecordContext(kiosk_id=kiosk, key=uuid.uuid4(), created_at=T0, operator_id=operator_id)
    return registry.get(kind)(s, ctx, payload)


def _spend_payload(reserve_id, amount, payer="R-1", beneficiary=None):
    return PointsSpend(payer_id=payer, beneficiary_id=beneficiary or payer, amount=amount, purpose="canteen",
                       merchant_id="canteen:C01", reserve_id=reserve_id).model_dump(mode="json")


def test_policy_defaults_are_the_documented_caps():
    assert RESERVE_POLICY.as_config() == {
        "per_spend_max_points": 300, "reserve_max_points": 600, "daily_spend_max_points": 600,
        "daily_spend_count_max": 5, "max_age_s": 7 * 24 * 3600, "settle_grace_s": 24 * 3600,
        "elder_age_years": 85, "elder_reserve_max_points": 300,
    }


def test_grant_moves_min_of_request_cap_and_balance_and_tops_up_one_open_reserve(sessions):
    with sessions() as s:
        _fund(s, points=1000)
        g1 = _grant(s, 250)
        g2 = _grant(s, 500)  # tops up to the 600 cap
        g3 = _grant(s, 100)  # nothing left under the cap
        s.commit()
        assert g1.reserve_id == g2.reserve_id == g3.reserve_id
        assert [(g.amount, g.balance) for g in (g1, g2, g3)] == [(250, 750), (600, 400), (600, 400)]
        assert g1.expires_at == T0 + timedelta(days=7)
        other_kiosk = _grant(s, 1000, kiosk="K-2")  # a reserve per kiosk, limited by the balance left
        s.commit()
        assert (other_kiosk.amount, other_kiosk.balance) == (400, 0)
        assert check_invariants(s) == []


def test_grant_with_a_poor_balance_grants_what_there_is_and_zero_when_empty(sessions):
    with sessions() as s:
        _fund(s, points=120)
        assert _grant(s, 300).amount == 120
        assert _grant(s, 300, kiosk="K-2").amount == 0


def test_the_same_grant_key_answers_the_same_reserve_without_moving_more(sessions):
    with sessions() as s:
        _fund(s)
        key = uuid.uuid4()
        first = _grant(s, 200, key=key)
        again = _grant(s, 200, key=key)
        s.commit()
        assert first == again and resident_balance(s, "R-1") == 800
        with pytest.raises(LedgerError, match="points.key_reused"):
            _grant(s, 200, kiosk="K-2", key=key)


def test_residents_aged_85_or_more_get_a_smaller_reserve(sessions, directory):
    with sessions() as s:
        _fund(s, "R-OLD", 1000)
        _fund(s, "R-A", 1000)
        assert _grant(s, 600, rid="R-OLD").amount == 300
        assert _grant(s, 600, rid="R-A").amount == 600


def test_offline_spend_within_the_reserve_pays_the_merchant_and_beyond_it_is_refused(sessions):
    with sessions() as s:
        _fund(s)
        g = _grant(s, 250)
        result = _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 200))
        assert result["reserve"]["amount"] == 50 and result["balance"] == 750
        with pytest.raises(LedgerError) as err:
            _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 60))
        assert (err.value.code, err.value.params) == ("points.reserve_exceeded", {"held": 50, "amount": 60})
        s.commit()
        assert balance(s, "merchant:canteen:C01") == 200
        assert check_invariants(s) == []


def test_a_reserve_is_spent_only_by_its_own_kiosk_for_its_own_resident_within_the_per_spend_cap(sessions):
    with sessions() as s:
        _fund(s)
        _fund(s, "R-2")
        g = _grant(s, 600)
        for payload, kiosk, code in [
            (_spend_payload(g.reserve_id, 10), "K-2", "points.reserve_foreign"),
            (_spend_payload(g.reserve_id, 10, payer="R-2"), "K-1", "points.reserve_foreign"),
            (_spend_payload(g.reserve_id, 301), "K-1", "points.offline_cap"),
            (_spend_payload("nope", 10), "K-1", "points.reserve_unknown"),
            (_spend_payload(g.reserve_id, 10, beneficiary="R-2"), "K-1", "points.not_family"),
        ]:
            with pytest.raises(LedgerError) as err:
                _push(s, RecordKind.POINTS_SPEND, payload, kiosk=kiosk)
            assert err.value.code == code


def test_online_spend_without_reserve_uses_the_balance_and_refuses_insufficient(sessions):
    with sessions() as s:
        _fund(s, points=100)
        result = _push(s, RecordKind.POINTS_SPEND, _spend_payload(None, 80), operator_id="S-1")
        assert (result["balance"], result["reserve"]) == (20, None)
        with pytest.raises(LedgerError, match="points.insufficient"):
            _push(s, RecordKind.POINTS_SPEND, _spend_payload(None, 21))


def test_release_returns_the_rest_closes_the_reserve_and_a_second_release_answers_the_same(sessions):
    with sessions() as s:
        _fund(s)
        g = _grant(s, 300)
        _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 120))
        payload = ReserveRelease(reserve_id=g.reserve_id).model_dump(mode="json")
        first = _push(s, RecordKind.RESERVE_RELEASE, payload)
        second = _push(s, RecordKind.RESERVE_RELEASE, payload)
        s.commit()
        assert first == second
        assert (first["amount"], first["balance"]) == (0, 880)
        assert s.get(Reserve, g.reserve_id).status == "closed"
        with pytest.raises(LedgerError, match="points.reserve_foreign"):
            _push(s, RecordKind.RESERVE_RELEASE, payload, kiosk="K-2")
        assert check_invariants(s) == []


def test_reserve_changes_go_to_the_owning_kiosk_only(sessions):
    with sessions() as s:
        _fund(s)
        g = _grant(s, 300)
        _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 100))
        release_reserve(s, g.reserve_id, kiosk_id="K-1")
        s.commit()
        mine = [c for c in changes_after(s, "K-1", 0, 100) if c.kind == "reserve"]
        theirs = [c for c in changes_after(s, "K-2", 0, 100) if c.kind == "reserve"]
        assert [ReserveGrant(**c.data).amount for c in mine] == [300, 200, 0]
        assert theirs == []
        balances = [c.data["balance"] for c in changes_after(s, "K-2", 0, 100) if c.kind == "balance"]
        assert balances == [1000, 700, 900]


def test_expired_reserves_are_released_after_the_grace_and_late_spends_use_the_balance(sessions):
    with sessions() as s:
        _fund(s, points=500)
        g = _grant(s, 300)
        s.commit()
        expiry = g.expires_at
        assert release_expired(s, expiry + timedelta(hours=23)) == []
        assert release_expired(s, expiry + timedelta(days=1)) == [g.reserve_id]
        s.commit()
        assert resident_balance(s, "R-1") == 500
        # An offline spend made before expiry arrives late: charged to the points given back.
        late = _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 200))
        assert late["balance"] == 300
        _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 250))
        with pytest.raises(LedgerError, match="points.reserve_closed"):
            _push(s, RecordKind.POINTS_SPEND, _spend_payload(g.reserve_id, 51))
        s.commit()
        assert check_invariants(s) == []


def test_a_grant_after_expiry_renews_the_same_reserve_so_queued_spends_still_apply(sessions):
    with sessions() as s:
        _fund(s, points=1000)
        old = _grant(s, 400)
        later = old.expires_at + timedelta(seconds=1)
        new = _grant(s, 100, now=later)
        s.commit()
        assert new.reserve_id == old.reserve_id and new.amount == 500 and new.balance == 500
        assert new.expires_at > later
        statuses = dict(s.execute(select(Reserve.id, Reserve.status)).all())
        assert statuses == {old.reserve_id: "open"}
        assert check_invariants(s) == []


def test_malformed_payload_is_rejected_with_request_invalid(sessions):
    from server.handlers import Rejected

    with sessions() as s, pytest.raises(Rejected, match="request.invalid"):
        _push(s, RecordKind.POINTS_SPEND, {"payer_id": "R-1", "amount": -3})
    assert s.scalar(select(ChangeRow.seq)) is None
