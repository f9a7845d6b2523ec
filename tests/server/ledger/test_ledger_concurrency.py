"""Racing kiosks: concurrent spends never overdraw a resident; mixed reserve traffic keeps the invariants."""

from __future__ import annotations

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.ledger.errors import LedgerError
from server.ledger.movements import award, balance, check_invariants, resident_balance, reverse, spend
from server.ledger.reserves import grant_reserve, release_reserve, spend_from_reserve

THREADS = 20


def _race(fn, n=THREADS):
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


@pytest.mark.parametrize("amount", [70, 300])
def test_twenty_racing_spends_succeed_exactly_floor_balance_over_amount_times(sessions, amount):
    with sessions() as s:
        award(s, "R-1", 1000, "harmony", "seed", "system", None)
        s.commit()

    def one(i):
        with sessions() as s:
            try:
                spend(s, "R-1", amount, "canteen", "canteen:C01", "kiosk", f"K-{i}", key=f"spend-{i}")
                s.commit()
                return True
            except LedgerError as exc:
                assert exc.code == "points.insufficient"
                s.rollback()
                return False

    results = _race(one)
    with sessions() as s:
        assert sum(results) == 1000 // amount
        assert resident_balance(s, "R-1") == 1000 % amount
        assert balance(s, "merchant:canteen:C01") == amount * (1000 // amount)
        assert check_invariants(s) == []


def _commit(sessions, fn):
    """Run fn(session) and commit; a refusal gives None. No retry: a deadlock fails the test, because
    every transaction locks its accounts in one global order."""
    with sessions() as s:
        try:
            result = fn(s)
        except LedgerError:
            s.rollback()
            return None
        s.commit()
        return result


def test_mixed_grants_reserve_spends_releases_spends_and_reversals_never_deadlock_and_keep_invariants(sessions):
    residents = ["R-1", "R-2", "R-3"]
    with sessions() as s:
        for rid in residents:
            award(s, rid, 2000, "harmony", "seed", "system", None)
        s.commit()
    owners: dict[str, tuple[str, str]] = {}  # reserve id -> (resident, kiosk)
    applied = {"grant": 0, "reserve_spend": 0, "release": 0, "spend": 0, "reverse": 0}
    spends: list[int] = []
    lock = threading.Lock()

    def done(kind, result):
        if result is not None:
            with lock:
                applied[kind] += 1
        return result

    def one(i):
        rng = random.Random(i)
        for _ in range(12):
            rid, kiosk = rng.choice(residents), f"K-{rng.randrange(3)}"
            op = rng.random()
            if op < 0.3 or not owners:
                g = done("grant", _commit(sessions, lambda s: grant_reserve(
                    s, kiosk_id=kiosk, resident_id=rid, amount=rng.randint(1, 400), key=uuid.uuid4())))
                if g is not None:
                    with lock:
                        owners[g.reserve_id] = (rid, kiosk)
            elif op < 0.7:
                with lock:
                    reserve_id = rng.choice(sorted(owners))
                    rid, kiosk = owners[reserve_id]
                amount = rng.randint(1, 120)
                r = done("reserve_spend", _commit(sessions, lambda s: spend_from_reserve(
                    s, reserve_id=reserve_id, kiosk_id=kiosk, payer_id=rid, beneficiary_id=rid, amount=amount,
                    purpose="canteen", merchant_id="canteen:C01", key=str(uuid.uuid4()))))
                if r is not None:
                    with lock:
                        spends.append(r["tx_id"])
            elif op < 0.8:
                with lock:
                    reserve_id = rng.choice(sorted(owners))
                done("release", _commit(sessions, lambda s: release_reserve(s, reserve_id, kiosk_id=owners[reserve_id][1])))
            elif op < 0.9 or not spends:
                tx = done("spend", _commit(sessions, lambda s: spend(
                    s, rid, rng.randint(1, 200), "shop", "shop:S1", "kiosk", kiosk)))
                if tx is not None:
                    with lock:
                        spends.append(tx)
            else:
                with lock:
                    tx = rng.choice(spends)
                done("reverse", _commit(sessions, lambda s: reverse(s, tx, "staff", "S-1", "refund")))

    _race(one)
    with sessions() as s:
        assert check_invariants(s) == []
        total = sum(resident_balance(s, r) for r in residents) + balance(s, "merchant:canteen:C01") \
            + balance(s, "merchant:shop:S1")
        from sqlalchemy import func, select

        from server.ledger.models import Account

        held = s.scalar(select(func.coalesce(func.sum(Account.balance), 0)).where(Account.kind == "reserve"))
        assert total + held == 6000
    assert min(applied.values()) > 0, applied
