"""Family redemption: paying for a bound member, the family paying together, and the residents table lookup."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from server.db import make_engine, make_sessionmaker
from server.ledger.directory import TableDirectory, same_family
from server.ledger.errors import LedgerError
from server.ledger.family import family_of, spend_family
from server.ledger.models import LedgerTx, Movement
from server.ledger.movements import award, balance, check_invariants, resident_balance, reverse, spend


def _fund(s, **balances):
    for rid, points in balances.items():
        award(s, rid.replace("_", "-"), points, "harmony", "seed", "system", None)


def test_a_resident_may_pay_for_a_family_member_but_not_for_a_stranger(sessions, directory):
    with sessions() as s:
        _fund(s, R_A=100)
        tx_id = spend(s, "R-A", 30, "canteen", "canteen:C01", "kiosk", "K-1", beneficiary_id="R-B")
        assert s.get(LedgerTx, tx_id).beneficiary_id == "R-B"
        with pytest.raises(LedgerError) as err:
            spend(s, "R-A", 30, "canteen", "canteen:C01", "kiosk", "K-1", beneficiary_id="R-D")
        assert (err.value.code, err.value.status_code) == ("points.not_family", 403)
        s.commit()
        assert resident_balance(s, "R-A") == 70


def test_the_family_pays_together_payer_first_then_the_others_in_order(sessions, directory):
    with sessions() as s:
        _fund(s, R_A=40, R_B=25, R_C=100, R_D=500)
        assert family_of(s, "R-A") == ["R-A", "R-B", "R-C"]
        tx_id = spend_family(s, "R-A", 90, "canteen", "canteen:C01", "kiosk", "K-1")
        s.commit()
        legs = dict(s.execute(select(Movement.account_id, Movement.amount).where(Movement.tx_id == tx_id)).all())
        assert legs == {"resident:R-A": -40, "resident:R-B": -25, "resident:R-C": -25, "merchant:canteen:C01": 90}
        assert [resident_balance(s, r) for r in ("R-A", "R-B", "R-C", "R-D")] == [0, 0, 75, 500]


def test_family_spend_beyond_the_family_total_writes_nothing(sessions, directory):
    with sessions() as s:
        _fund(s, R_A=10, R_B=10, R_D=500)
        s.commit()
        with pytest.raises(LedgerError) as err:
            spend_family(s, "R-A", 21, "shop", "shop:S1", "kiosk", "K-1")
        assert err.value.params == {"family_balance": 20, "amount": 21}
        s.rollback()
        assert balance(s, "merchant:shop:S1") == 0
        assert [resident_balance(s, r) for r in ("R-A", "R-B")] == [10, 10]


def test_family_spend_with_chosen_members_refuses_a_stranger_and_reversal_refunds_each_share(sessions, directory):
    with sessions() as s:
        _fund(s, R_A=10, R_B=10, R_C=50, R_D=50)
        with pytest.raises(LedgerError, match="points.not_family"):
            spend_family(s, "R-A", 20, "shop", "shop:S1", "kiosk", "K-1", members=["R-D"])
        tx_id = spend_family(s, "R-A", 35, "shop", "shop:S1", "kiosk", "K-1", members=["R-C", "R-B"])
        reverse(s, tx_id, "staff", "S-1", "refund")
        s.commit()
        assert [resident_balance(s, r) for r in ("R-A", "R-B", "R-C")] == [10, 10, 50]
        assert check_invariants(s) == []


def test_table_directory_reads_families_and_birth_dates_from_the_residents_table(sqlite_url):
    from server.testing import seed_minimal

    ids = seed_minimal(sqlite_url)
    a, b, alone = ids["residents"]
    engine = make_engine(sqlite_url)
    try:
        with make_sessionmaker(engine)() as s:
            d = TableDirectory()
            assert same_family(s, a, b, d) and not same_family(s, a, alone, d)
            assert d.family_members(s, ids["family_id"]) == sorted([a, b])
            assert d.birth_date(s, alone) is not None
    finally:
        engine.dispose()
