"""Earning rules of STANDARDS §9: talent once, activity leader 50 each and 200 a month, staff awards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.ledger.errors import LedgerError
from server.ledger.models import LedgerTx
from server.ledger.movements import check_invariants, resident_balance, reverse
from server.ledger.rules import RULES, award_activity_leader, award_by_rule, award_staff, award_talent, month_bounds_utc


def test_rules_are_declared_as_data_with_the_standard_amounts():
    assert (RULES["community_talent"].points, RULES["community_talent"].once_per_resident) == (100, True)
    assert (RULES["activity_leader"].points, RULES["activity_leader"].monthly_cap_points) == (50, 200)


def test_community_talent_pays_100_once_and_records_the_rule_and_confirming_staff(sessions):
    with sessions() as s:
        tx_id = award_talent(s, "R-1", confirmed_by="S-7")
        s.commit()
        with pytest.raises(LedgerError, match="points.rule_once"):
            award_talent(s, "R-1", confirmed_by="S-7")
        s.rollback()
        tx = s.get(LedgerTx, tx_id)
        assert (tx.rule, tx.amount, tx.operator_id, tx.category) == ("community_talent", 100, "S-7", "future")
        assert resident_balance(s, "R-1") == 100


def test_activity_leader_fifth_award_in_a_month_is_refused_with_monthly_cap(sessions):
    may = datetime(2026, 5, 10, 3, tzinfo=UTC)
    with sessions() as s:
        for n in range(4):
            award_activity_leader(s, "R-1", f"ACT-{n}", operator_id="S-1", now=may)
        s.commit()
        with pytest.raises(LedgerError) as err:
            award_activity_leader(s, "R-1", "ACT-9", operator_id="S-1", now=may)
        s.rollback()
        assert err.value.code == "points.monthly_cap"
        assert err.value.params == {"cap": 200, "used": 200, "month": "2026-05"}
        june = datetime(2026, 6, 1, 1, tzinfo=UTC)
        award_activity_leader(s, "R-1", "ACT-10", operator_id="S-1", now=june)
        s.commit()
        assert resident_balance(s, "R-1") == 250


def test_the_month_is_the_local_calendar_month_in_shanghai():
    # 2026-05-31 17:00 UTC is already 1 June 01:00 in Hangzhou.
    start, end = month_bounds_utc(datetime(2026, 5, 31, 17, tzinfo=UTC))
    assert (start, end) == (datetime(2026, 5, 31, 16, tzinfo=UTC), datetime(2026, 6, 30, 16, tzinfo=UTC))


def test_the_same_activity_is_paid_once_and_a_reversed_award_frees_the_cap(sessions):
    may = datetime(2026, 5, 10, tzinfo=UTC)
    with sessions() as s:
        first = award_activity_leader(s, "R-1", "ACT-1", operator_id="S-1", now=may)
        with pytest.raises(LedgerError, match="points.rule_once"):
            award_activity_leader(s, "R-1", "ACT-1", operator_id="S-1", now=may)
        for n in range(2, 5):
            award_activity_leader(s, "R-1", f"ACT-{n}", operator_id="S-1", now=may)
        reverse(s, first, "staff", "S-1", "activity cancelled", now=may)
        award_activity_leader(s, "R-1", "ACT-5", operator_id="S-1", now=may)
        s.commit()
        assert resident_balance(s, "R-1") == 200
        assert check_invariants(s) == []


def test_staff_award_records_dimension_reason_hours_and_refuses_typos_above_500(sessions):
    with sessions() as s:
        tx_id = award_staff(s, "R-1", 40, "governance", "fire check", staff_id="S-2", hours=2.0)
        with pytest.raises(LedgerError, match="points.amount_invalid"):
            award_staff(s, "R-1", 5000, "governance", "typo", staff_id="S-2")
        with pytest.raises(LedgerError, match="points.rule_unknown"):
            award_by_rule(s, "lottery", "R-1", operator_id="S-2")
        s.commit()
        tx = s.get(LedgerTx, tx_id)
        assert (tx.rule, tx.category, tx.reason, tx.hours) == ("staff_award", "governance", "fire check", 2.0)
