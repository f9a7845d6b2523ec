"""Offline spending at three real kiosks against the real server over faulty links (Hypothesis stateful)."""

from __future__ import annotations

import itertools
import sys
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from kiosk.points.wallet import PointsError
from server.ledger.movements import balance, merchant_account, resident_balance
from offline_world import R1, R2, R3, RESIDENTS, PAYS_FOR, MERCHANT, KIOSKS, MAX_CLOCK_OFFSET, World

KIOSK = st.integers(0, KIOSKS - 1)


def machine_in(root: Path) -> type[RuleBasedStateMachine]:
    """The state machine class; each example gets a fresh World under ``root``."""
    runs = itertools.count()

    class OfflineSpending(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.world = World(root / f"example-{next(runs)}")

        @initialize(points=st.lists(st.integers(0, 1500), min_size=len(RESIDENTS), max_size=len(RESIDENTS)),
                    k=KIOSK, resident=st.sampled_from(RESIDENTS), amount=st.integers(1, 600))
        def fund_everyone_and_reserve_once(self, points: list[int], k: int, resident: str, amount: int) -> None:
            for who, n in zip(RESIDENTS, points):
                if n:
                    self.world.fund(who, n)
            self.world.ensure_reserve(k, resident, amount)

        @rule(resident=st.sampled_from(RESIDENTS), points=st.integers(1, 1000))
        def fund(self, resident: str, points: int) -> None:
            self.world.fund(resident, points)

        @rule(k=KIOSK, resident=st.sampled_from(RESIDENTS), amount=st.integers(1, 600))
        def ensure_reserve(self, k: int, resident: str, amount: int) -> None:
            self.world.ensure_reserve(k, resident, amount)

        @rule(k=KIOSK, pair=st.sampled_from(PAYS_FOR), amount=st.integers(1, 400))
        def spend(self, k: int, pair: tuple[str, str], amount: int) -> None:
            self.world.spend(k, pair[0], pair[1], amount)

        @rule(k=KIOSK, data=st.data())
        def spend_near_what_is_left(self, k: int, data: st.DataObject) -> None:
            """A payer who holds a reserve here, for about what is left of it (both sides of the edge)."""
            wallet = self.world.kiosks[k].wallet
            holders = [(p, b) for p, b in PAYS_FOR if wallet.available(p) > 0]
            if not holders:
                return
            payer, beneficiary = data.draw(st.sampled_from(holders))
            left = wallet.available(payer)
            amount = data.draw(st.integers(max(1, left - 60), left + 60) | st.integers(1, left))
            self.world.spend(k, payer, beneficiary, amount)

        @rule(k=KIOSK, resident=st.sampled_from(RESIDENTS))
        def release(self, k: int, resident: str) -> None:
            self.world.release(k, resident)

        @rule(k=KIOSK, link=st.sampled_from(["cut", "heal", "lose 1", "lose 2", "lose 3"]))
        def switch_link(self, k: int, link: str) -> None:
            """Partition, heal, or lose the next answers (the server commits, the kiosk hears a reset)."""
            proxy = self.world.kiosks[k].link
            proxy.heal()
            if link == "cut":
                proxy.cut = True
            elif link.startswith("lose"):
                proxy.lose_left = int(link.split()[1])

        @rule(k=KIOSK)
        def sync(self, k: int) -> None:
            self.world.sync(k)

        @rule(k=KIOSK)
        def restart(self, k: int) -> None:
            self.world.restart(k)

        @rule(k=KIOSK)
        def replay(self, k: int) -> None:
            self.world.replay(k)

        @precondition(lambda self: self.world.offset < MAX_CLOCK_OFFSET)
        @rule(hours=st.sampled_from([1, 20, 24 * 8]))
        def advance_clock(self, hours: int) -> None:
            self.world.offset += timedelta(hours=hours)

        @invariant()
        def ledger_and_kiosks_agree(self) -> None:
            problems = self.world.problems()
            assert not problems, problems

        def teardown(self) -> None:
            try:
                if sys.exc_info()[0] is None:  # a failing step already says what went wrong
                    self.world.settle()
            finally:
                self.world.close()

    return OfflineSpending


def test_offline_spending_at_three_kiosks_through_partitions_replays_and_restarts_is_exact(tmp_path):
    run_state_machine_as_test(machine_in(tmp_path), settings=settings(
        max_examples=15, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))


def test_spends_offline_then_a_lost_answer_and_a_replay_apply_each_spend_once(tmp_path):
    world = World(tmp_path / "world", kiosks=1)
    try:
        kiosk = world.kiosks[0]
        world.fund(R1, 1000)
        assert world.ensure_reserve(0, R1, 400) == 400
        world.sync(0)  # online once: the kiosk learns the resident directory (who is family)
        kiosk.link.cut = True
        first, second = world.spend(0, R1, R1, 150), world.spend(0, R1, R2, 100)  # R1 pays for R2 (family)
        assert first is not None and second is not None and second.remaining == 150
        world.sync(0)
        assert kiosk.outbox_counts() == (2, 0)  # partitioned: nothing left the kiosk
        assert world.spend_counts() == {}
        kiosk.link.heal()
        kiosk.link.lose_left = 1
        world.sync(0)  # the server applies both, the kiosk never hears
        assert kiosk.outbox_counts() == (2, 0)
        assert world.spend_counts() == {str(first.key): 1, str(second.key): 1}
        world.sync(0)  # sent again with the same keys: replayed, not applied again
        assert kiosk.outbox_counts() == (0, 0)
        world.replay(0)
        assert world.spend_counts() == {str(first.key): 1, str(second.key): 1}
        with world.sessions() as s:
            assert resident_balance(s, R1) == 600
            assert balance(s, merchant_account(MERCHANT)) == 250
        assert world.problems(final=True) == []
        world.settle()
    finally:
        world.close()


def test_a_grant_after_expiry_keeps_spends_queued_on_the_old_reserve(tmp_path):
    world = World(tmp_path / "world", kiosks=1)
    try:
        world.fund(R1, 500)
        assert world.ensure_reserve(0, R1, 300) == 300
        spent = world.spend(0, R1, R1, 200)  # made while the reserve is valid; not yet sent
        assert spent is not None
        world.offset += timedelta(days=8)  # past the reserve's age: the wallet asks for a new one
        world.ensure_reserve(0, R1, 600)
        world.sync(0)  # fails: the spend is refused for good (dead letter), a meal nobody paid for
        assert world.problems(final=True) == []
    finally:
        world.close()


def test_the_wallet_refuses_paying_for_someone_outside_the_family(tmp_path):
    world = World(tmp_path / "world", kiosks=1)
    try:
        world.fund(R1, 500)
        assert world.ensure_reserve(0, R1, 300) == 300
        try:
            world.kiosks[0].wallet.spend(R1, R3, 100, "canteen", MERCHANT)
        except PointsError:
            return
        world.sync(0)  # fails: acknowledged, then refused by the server
    finally:
        world.close()
