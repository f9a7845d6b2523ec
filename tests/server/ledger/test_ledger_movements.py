"""Award, spend and reverse arithmetic, idempotency keys, history, append-only rows and the invariants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from kiosk.protocol import POINTS_PER_YUAN
from server.changes import ChangeRow
from server.db import utc_now
from server.ledger.errors import LedgerError
from server.ledger.models import LedgerTx, Movement
from server.ledger.movements import (
    DEFAULT_ISSUER,
    award,
    balance,
    check_invariants,
    history,
    resident_balance,
    reverse,
    spend,
)


def _award(s, rid="R-1", points=500, **kw):
    return award(s, rid, points, "civility", "patrol", "staff", "S-1", **kw)


def test_award_moves_points_from_the_issuer_and_records_rate_and_dimension(sessions):
    with sessions() as s:
        tx_id = _award(s, points=500)
        s.commit()
        tx = s.get(LedgerTx, tx_id)
        assert (tx.kind, tx.category, tx.yuan_rate, tx.operator_kind, tx.operator_id) == (
            "award", "civility", POINTS_PER_YUAN, "staff", "S-1")
        assert resident_balance(s, "R-1") == 500
        assert balance(s, DEFAULT_ISSUER) == -500
        assert check_invariants(s) == []


def test_spend_pays_the_merchant_and_overspend_is_refused_without_writing(sessions):
    with sessions() as s:
        _award(s, points=300)
        spend(s, "R-1", 120, "canteen", "canteen:C01", "kiosk", "K-1")
        s.commit()
        with pytest.raises(LedgerError) as err:
            spend(s, "R-1", 181, "canteen", "canteen:C01", "kiosk", "K-1")
        assert err.value.code == "points.insufficient"
        assert err.value.params == {"balance": 180, "amount": 181}
        s.rollback()
        assert resident_balance(s, "R-1") == 180
        assert balance(s, "merchant:canteen:C01") == 120
        assert s.scalar(select(text("count(*)")).select_from(LedgerTx)) == 2
        assert check_invariants(s) == []


def test_reversal_restores_balances_and_cannot_be_reversed_or_repeated(sessions):
    with sessions() as s:
        _award(s, points=300)
        spend_tx = spend(s, "R-1", 100, "shop", "shop:S1", "kiosk", "K-1")
        rev = reverse(s, spend_tx, "staff", "S-1", "wrong item")
        s.commit()
        assert resident_balance(s, "R-1") == 300
        assert balance(s, "merchant:shop:S1") == 0
        assert s.get(LedgerTx, rev).reverses_tx_id == spend_tx
        with pytest.raises(LedgerError, match="points.not_reversible"):
            reverse(s, rev, "staff", "S-1", "again")
        with pytest.raises(LedgerError, match="points.already_reversed"):
            reverse(s, spend_tx, "staff", "S-1", "twice")
        with pytest.raises(LedgerError, match="points.tx_unknown"):
            reverse(s, 999_999, "staff", "S-1", "nothing")
        s.rollback()
        assert check_invariants(s) == []


def test_reversing_an_award_already_spent_is_refused_so_no_balance_goes_negative(sessions):
    with sessions() as s:
        award_tx = _award(s, points=100)
        spend(s, "R-1", 60, "canteen", "canteen:C01", "kiosk", "K-1")
        s.commit()
        with pytest.raises(LedgerError, match="points.insufficient"):
            reverse(s, award_tx, "staff", "S-1", "mistake")
        s.rollback()
        assert resident_balance(s, "R-1") == 40


def test_same_key_replays_the_first_transaction_and_a_different_payload_is_refused(sessions):
    with sessions() as s:
        first = _award(s, points=50, key="k-1")
        again = _award(s, points=50, key="k-1")
        assert first == again
        with pytest.raises(LedgerError, match="points.key_reused"):
            _award(s, points=51, key="k-1")
        s.commit()
        assert resident_balance(s, "R-1") == 50


def test_invalid_amounts_dimensions_and_purposes_are_refused_with_keys(sessions):
    with sessions() as s:
        _award(s, points=100)
        for call, code in [
            (lambda: _award(s, points=0), "points.amount_invalid"),
            (lambda: award(s, "R-1", 5, "wealth", "x", "staff", "S-1"), "points.dimension_unknown"),
            (lambda: spend(s, "R-1", 5, "casino", "m:1", "kiosk", "K-1"), "points.purpose_unknown"),
            (lambda: spend(s, "R-1", -5, "shop", "m:1", "kiosk", "K-1"), "points.amount_invalid"),
            (lambda: award(s, "R-1", 5, "future", "x", "robot", "S-1"), "points.operator_invalid"),
        ]:
            with pytest.raises(LedgerError) as err:
                call()
            assert err.value.code == code


def test_history_shows_signed_points_newest_first_with_place_and_reversal_mark(sessions):
    with sessions() as s:
        t0 = utc_now()
        a = _award(s, points=200, now=t0)
        b = spend(s, "R-1", 30, "canteen", "canteen:C01", "kiosk", "K-1", now=t0 + timedelta(minutes=1))
        c = reverse(s, b, "staff", "S-1", "refund", now=t0 + timedelta(minutes=2))
        _award(s, "R-2", 10)
        s.commit()
        rows = history(s, "R-1", limit=10)
        assert [(e.tx_id, e.kind, e.points, e.where, e.reversed) for e in rows] == [
            (c, "reversal", 30, "staff", False),
            (b, "spend", -30, "canteen:C01", True),
            (a, "award", 200, "staff", False),
        ]
        assert len(history(s, "R-1", limit=2)) == 2


def test_movements_and_transactions_are_append_only_in_the_database(sessions):
    with sessions() as s:
        _award(s, points=10)
        s.commit()
    for stmt in ("UPDATE ledger_movement SET amount = 99", "DELETE FROM ledger_movement",
                 "UPDATE ledger_tx SET amount = 99", "DELETE FROM ledger_tx"):
        with sessions() as s:
            with pytest.raises(DBAPIError, match="append-only"):
                s.execute(text(stmt))
            s.rollback()


def test_negative_resident_balance_is_refused_by_the_database_check(sessions):
    with sessions() as s:
        _award(s, points=10)
        s.commit()
        with pytest.raises(DBAPIError):
            s.execute(text("UPDATE ledger_account SET balance = -1 WHERE id = 'resident:R-1'"))
        s.rollback()


def test_invariants_report_a_cached_balance_that_drifted_from_the_movements(sessions):
    with sessions() as s:
        _award(s, points=10)
        s.execute(text("UPDATE ledger_account SET balance = 11 WHERE id = 'resident:R-1'"))
        problems = check_invariants(s)
        s.rollback()
    assert problems == ["account resident:R-1: cached 11 != movements 10"]


def test_every_balance_change_is_published_to_all_kiosks(sessions):
    with sessions() as s:
        _award(s, points=70)
        spend(s, "R-1", 20, "venue", "venue:TT", "kiosk", "K-1")
        s.commit()
        rows = s.scalars(select(ChangeRow).where(ChangeRow.kind == "balance").order_by(ChangeRow.seq)).all()
    assert [(r.key, r.data, r.audience_kiosk_id) for r in rows] == [
        ("R-1", {"resident_id": "R-1", "balance": 70}, None),
        ("R-1", {"resident_id": "R-1", "balance": 50}, None),
    ]
    assert s.scalar(select(text("count(*)")).select_from(Movement)) == 4
