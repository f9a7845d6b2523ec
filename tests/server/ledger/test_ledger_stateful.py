"""Hypothesis stateful run of awards, spends, reversals and reserve traffic against a model (SQLite)."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from server.db import make_engine, make_sessionmaker, utc_now
from server.ledger.errors import LedgerError
from server.ledger.movements import award, balance, check_invariants, resident_balance, reverse, spend
from server.ledger.reserves import RESERVE_POLICY, grant_reserve, release_expired, release_reserve, spend_from_reserve

_runs = itertools.count()
CAP = RESERVE_POLICY.reserve_max_points


def test_random_ledger_traffic_matches_the_model_and_keeps_every_invariant(sqlite_url):
    engine = make_engine(sqlite_url)
    sessions = make_sessionmaker(engine)
    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            run = next(_runs)
            self.residents = [f"R-{run}-{i}" for i in range(3)]
            self.merchant = f"shop:{run}"
            self.now = utc_now()
            self.bal = dict.fromkeys(self.residents, 0)  # model: own balances
            self.shop = 0
            self.reserves: dict[str, dict] = {}  # id -> resident, kiosk, held, open, granted, spent, expires
            self.txs: dict[int, dict[str, int]] = {}  # reversible tx -> effect on model keys
            self.reversed: set[int] = set()
            self.spend_keys: dict[str, tuple[int, str, int]] = {}

        def _do(self, fn):
            with sessions() as s:
                try:
                    result = fn(s)
                except LedgerError as exc:
                    s.rollback()
                    return exc
                s.commit()
                return result

        def _apply(self, effect):
            for k, v in effect.items():
                if k == "shop":
                    self.shop += v
                elif k in self.bal:
                    self.bal[k] += v
                else:
                    self.reserves[k]["held"] += v

        @rule(who=st.integers(0, 2), points=st.integers(1, 1000))
        def do_award(self, who, points):
            rid = self.residents[who]
            tx = self._do(lambda s: award(s, rid, points, "future", "t", "staff", "S-1", now=self.now))
            self.txs[tx] = {rid: points}
            self._apply({rid: points})

        @rule(who=st.integers(0, 2), amount=st.integers(1, 300))
        def do_spend(self, who, amount):
            rid, key = self.residents[who], str(uuid.uuid4())
            r = self._do(lambda s: spend(s, rid, amount, "shop", self.merchant, "kiosk", "K-1", key, now=self.now))
            if self.bal[rid] >= amount:
                assert isinstance(r, int)
                self.txs[r] = {rid: -amount, "shop": amount}
                self.spend_keys[key] = (r, rid, amount)
                self._apply(self.txs[r])
            else:
                assert r.code == "points.insufficient"

        @precondition(lambda self: self.spend_keys)
        @rule(data=st.data())
        def replay_spend(self, data):
            key = data.draw(st.sampled_from(list(self.spend_keys)))
            tx, rid, amount = self.spend_keys[key]
            assert self._do(lambda s: spend(s, rid, amount, "shop", self.merchant, "kiosk", "K-1", key)) == tx

        @rule(who=st.integers(0, 2), kiosk=st.sampled_from(["K-1", "K-2"]), amount=st.integers(1, 700))
        def do_grant(self, who, kiosk, amount):
            rid = self.residents[who]
            # An open reserve past its expiry but inside the settle grace is renewed, never released
            # here (its kiosk's offline spends may still arrive); release_expired closes the rest.
            current = next((k for k, r in self.reserves.items()
                            if r["open"] and (r["resident"], r["kiosk"]) == (rid, kiosk)), None)
            held = self.reserves[current]["held"] if current else 0
            move = max(0, min(amount, CAP - held, self.bal[rid]))
            g = self._do(lambda s: grant_reserve(s, kiosk_id=kiosk, resident_id=rid, amount=amount,
                                                 key=uuid.uuid4(), now=self.now))
            if current is None:
                assert g.reserve_id not in self.reserves
                self.reserves[g.reserve_id] = {"resident": rid, "kiosk": kiosk, "held": 0, "open": True,
                                               "granted": 0, "spent": 0, "expires": g.expires_at}
            else:
                assert g.reserve_id == current
            self.reserves[g.reserve_id]["granted"] += move
            self.reserves[g.reserve_id]["expires"] = g.expires_at  # renewed when it had expired
            self._apply({rid: -move, g.reserve_id: move})
            assert (g.amount, g.balance) == (held + move, self.bal[rid])

        @precondition(lambda self: self.reserves)
        @rule(data=st.data(), amount=st.integers(1, 300))
        def do_reserve_spend(self, data, amount):
            rsv_id = data.draw(st.sampled_from(list(self.reserves)))
            r = self.reserves[rsv_id]
            result = self._do(lambda s: spend_from_reserve(
                s, reserve_id=rsv_id, kiosk_id=r["kiosk"], payer_id=r["resident"], beneficiary_id=r["resident"],
                amount=amount, purpose="shop", merchant_id=self.merchant, key=str(uuid.uuid4()), now=self.now))
            source = rsv_id if r["open"] else r["resident"]
            available = r["held"] if r["open"] else self.bal[r["resident"]]
            if available >= amount:
                assert isinstance(result, dict), result
                effect = {source: -amount, "shop": amount}
                self.txs[result["tx_id"]] = {r["resident"] if k == rsv_id else k: v for k, v in effect.items()}
                self._apply(effect)
                if r["open"]:
                    r["spent"] += amount
            else:
                assert result.code == ("points.reserve_exceeded" if r["open"] else "points.reserve_closed")

        @precondition(lambda self: self.reserves)
        @rule(data=st.data())
        def do_release(self, data):
            rsv_id = data.draw(st.sampled_from(list(self.reserves)))
            r = self.reserves[rsv_id]
            g = self._do(lambda s: release_reserve(s, rsv_id, kiosk_id=r["kiosk"], now=self.now))
            if r["open"]:
                self._apply({rsv_id: -r["held"], r["resident"]: r["held"]})
                r["open"] = False
            assert (g.amount, g.balance) == (0, self.bal[r["resident"]])

        @precondition(lambda self: self.txs)
        @rule(data=st.data())
        def do_reverse(self, data):
            tx = data.draw(st.sampled_from(list(self.txs)))
            effect = {k: -v for k, v in self.txs[tx].items()}
            result = self._do(lambda s: reverse(s, tx, "staff", "S-1", "fix", now=self.now))
            if tx in self.reversed:
                assert result.code == "points.already_reversed"
            elif any(self.bal[k] + v < 0 for k, v in effect.items() if k in self.bal) or self.shop + effect.get("shop", 0) < 0:
                assert result.code == "points.insufficient"
            else:
                assert isinstance(result, int), result
                self.reversed.add(tx)
                self._apply(effect)

        @rule(hours=st.integers(1, 24 * 9))
        def advance_and_release_expired(self, hours):
            self.now += timedelta(hours=hours)
            released = set(self._do(lambda s: release_expired(s, self.now)))
            for rsv_id, r in self.reserves.items():
                due = r["open"] and r["expires"] + timedelta(seconds=RESERVE_POLICY.settle_grace_s) <= self.now
                if due:
                    self._apply({rsv_id: -r["held"], r["resident"]: r["held"]})
                    r["open"] = False
                    assert rsv_id in released

        @invariant()
        def ledger_matches_model(self):
            with sessions() as s:
                assert check_invariants(s) == []
                assert {rid: resident_balance(s, rid) for rid in self.residents} == self.bal
                assert balance(s, f"merchant:{self.merchant}") == self.shop
                for rsv_id, r in self.reserves.items():
                    assert balance(s, f"reserve:{rsv_id}") == r["held"]
                    assert r["spent"] <= r["granted"]  # a kiosk never spends more than it was granted
                    assert 0 <= r["held"] <= CAP

    run_state_machine_as_test(Ledger, settings=settings(
        max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)))
