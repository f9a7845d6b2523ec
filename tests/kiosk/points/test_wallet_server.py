"""The wallet with the real reference server: reserve online, spend offline, sync, ledger matches."""

from __future__ import annotations

from kiosk.points.wallet import PointsError, Wallet
from kiosk.sync.relay import Relay
from support.sync_fixtures import award_points


def _ledger(db_url: str, resident_id: str, merchant: str) -> tuple[int, int, list[str]]:
    from server.db import make_engine, make_sessionmaker
    from server.ledger.movements import balance, check_invariants, merchant_account, resident_balance

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            return resident_balance(s, resident_id), balance(s, merchant_account(merchant)), check_invariants(s)
    finally:
        engine.dispose()


def test_offline_spends_then_sync_leave_the_server_ledger_matching(live, kiosk_db, enrolled, seed):
    payer, spouse = seed["residents"][0], seed["residents"][1]
    award_points(live.db_url, payer, 1000)
    wallet = Wallet(kiosk_db, enrolled)
    assert wallet.ensure_reserve(payer, 300) == 300
    Relay(kiosk_db, enrolled).step()  # online once: the directory (who is family) is pulled
    wallet.client = None  # the network goes away: spending continues from the reserve
    receipts = [wallet.spend(payer, payer, 80, "canteen", "canteen:C-01"),
                wallet.spend(payer, spouse, 70, "canteen", "canteen:C-01")]  # paying for a family member
    assert wallet.available(payer) == 150
    wallet.release(payer)
    relay = Relay(kiosk_db, enrolled)
    relay.step()
    assert relay.status.pending == 0 and relay.status.dead == 0
    own, merchant, problems = _ledger(live.db_url, payer, "canteen:C-01")
    assert (own, merchant, problems) == (1000 - 150, 150, [])
    assert [r.amount for r in receipts] == [80, 70]


def test_the_server_grant_caps_what_the_wallet_may_spend(live, kiosk_db, enrolled, seed):
    payer = seed["residents"][2]
    award_points(live.db_url, payer, 100)
    wallet = Wallet(kiosk_db, enrolled)
    assert wallet.ensure_reserve(payer, 300) == 100  # only what the balance allows
    try:
        wallet.spend(payer, payer, 120, "shop", "shop:1")
    except PointsError as exc:
        assert exc.key == "points.reserve_exceeded"
    else:
        raise AssertionError("spent beyond the grant")
