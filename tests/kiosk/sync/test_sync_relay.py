"""The relay against the real reference server and misbehaving ones: order, batches, backoff, refusal."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from kiosk.events import SyncStatus, sync_status_did_change
from kiosk.sync import outbox
from kiosk.sync.backoff import Backoff
from kiosk.sync.models import DEAD, DELIVERED, PENDING, OutboxRow
from kiosk.sync.relay import Relay
from kiosk.sync.transport import ServerClient
from support.http_faults import MisbehavingServer, ResettingProxy, free_port, wait_until
from support.live_server import COUNT_KIND, applied_counts
from support.sync_fixtures import make_client


def _enqueue(db, n: int, kind: str = COUNT_KIND, start: int = 0) -> list[str]:
    return [str(db.write(lambda s, i=i: outbox.enqueue(s, kind, {"n": i}))) for i in range(start, start + n)]


def _states(db) -> dict[str, str]:
    with db.session() as s:
        return {r.key: r.state for r in s.scalars(select(OutboxRow).order_by(OutboxRow.seq))}


@pytest.fixture
def statuses():
    seen: list[SyncStatus] = []
    unsubscribe = sync_status_did_change.subscribe(seen.append)
    yield seen
    unsubscribe()


def test_records_are_delivered_in_order_in_batches_once(live, kiosk_db, enrolled):
    keys = _enqueue(kiosk_db, 25)
    with ResettingProxy(live.url, resets=0) as proxy:
        client = make_client(proxy.base_url, credentials=enrolled.credentials)
        relay = Relay(kiosk_db, client, push_batch=10)
        delay = relay.step()
        client.close()
    assert delay == relay.pull_interval_s
    assert set(_states(kiosk_db).values()) == {DELIVERED}
    counted = {k: (n, i) for k, n, i in applied_counts(live.db_url)}
    assert [counted[k] for k in keys] == [(1, i) for i in range(25)]
    order = [k for k, _, _ in applied_counts(live.db_url) if k in set(keys)]
    assert order == keys
    assert proxy.forwarded == 3 + 1  # three pushes of 10, 10, 5 and one pull


def test_rejected_records_are_dead_lettered_and_later_ones_still_go(live, kiosk_db, enrolled):
    first = _enqueue(kiosk_db, 1)
    bad = _enqueue(kiosk_db, 1, kind="test.no_such_kind")
    last = _enqueue(kiosk_db, 1, start=1)
    relay = Relay(kiosk_db, enrolled)
    relay.step()
    states = _states(kiosk_db)
    assert [states[k] for k in first + bad + last] == [DELIVERED, DEAD, DELIVERED]
    with kiosk_db.session() as s:
        dead = outbox.dead_letters(s)
    assert [(d.key, d.error) for d in dead] == [(bad[0], "sync.unknown_kind")]
    assert relay.status.dead == 1 and relay.status.pending == 0


def test_same_key_with_a_different_payload_is_a_conflict_and_dead_lettered(live, kiosk_db, enrolled):
    (key,) = _enqueue(kiosk_db, 1)
    relay = Relay(kiosk_db, enrolled)
    relay.step()

    def tamper(session):
        row = session.scalar(select(OutboxRow).where(OutboxRow.key == key))
        row.payload, row.state = {"n": 999}, PENDING

    kiosk_db.write(tamper)
    relay.step()
    with kiosk_db.session() as s:
        row = s.scalar(select(OutboxRow).where(OutboxRow.key == key))
    assert (row.state, row.last_error) == (DEAD, "sync.key_reused")
    assert [n for k, n, _ in applied_counts(live.db_url) if k == key] == [1]


def test_an_unknown_kiosk_is_refused_shown_in_status_and_retried_rarely(live, kiosk_db, statuses):
    _enqueue(kiosk_db, 2)
    client = make_client(live.url, credentials=("K-NOPE", "wrong"))
    relay = Relay(kiosk_db, client, refused_retry_s=300)
    assert relay.step() == 300
    client.close()
    assert statuses[-1] == SyncStatus(online=False, pending=2, refused="auth.unknown_kiosk", dead=0,
                                      last_error="auth.unknown_kiosk")
    assert set(_states(kiosk_db).values()) == {PENDING}


def test_a_kiosk_without_credentials_reports_not_enrolled(kiosk_db, statuses):
    with MisbehavingServer("500") as server:
        client = ServerClient(server.base_url)
        relay = Relay(kiosk_db, client)
        relay.step()
        client.close()
    assert relay.status.refused == "sync.not_enrolled"
    assert server.request_count == 0


def test_backoff_grows_with_jitter_and_caps_at_300_s(kiosk_db):
    _enqueue(kiosk_db, 1)
    client = ServerClient(f"http://127.0.0.1:{free_port()}", credentials=("K", "s"), connect_timeout_s=0.5)
    relay = Relay(kiosk_db, client, backoff=Backoff(rng=random.Random(7)))
    delays, ceilings = [], []
    for _ in range(14):
        ceilings.append(relay.backoff.ceiling_s())
        delays.append(relay.step())
    client.close()
    assert ceilings[:10] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert all(d <= c for d, c in zip(delays, ceilings))
    assert max(delays) <= 300
    assert len(set(delays)) == len(delays)  # jittered: no two equal
    assert sum(delays[9:]) > 300  # at the cap the delays are spread over 0..300 s, not stuck small
    assert relay.status.online is False and relay.status.last_error == "sync.offline"
    with kiosk_db.session() as s:
        assert s.scalar(select(OutboxRow.attempts)) == 14


def test_a_success_resets_the_backoff(live, kiosk_db, enrolled):
    _enqueue(kiosk_db, 1)
    relay = Relay(kiosk_db, enrolled)
    relay.backoff.failures = 9
    relay.step()
    assert relay.backoff.failures == 0 and relay.status.online is True


@pytest.mark.parametrize("retry_after, at_least", [("40", 40.0), ("1000", 300.0)])
def test_retry_after_is_honoured_up_to_the_cap(kiosk_db, retry_after, at_least):
    _enqueue(kiosk_db, 1)
    with MisbehavingServer("429", retry_after=retry_after) as server:
        client = ServerClient(server.base_url, credentials=("K", "s"))
        relay = Relay(kiosk_db, client, backoff=Backoff(rng=random.Random(1)))
        delay = relay.step()
        client.close()
    assert at_least <= delay <= 300.0
    assert relay.status.last_error == "sync.server_busy"


def test_the_relay_thread_delivers_on_wake_and_sync_now(live, kiosk_db, enrolled, statuses):
    relay = Relay(kiosk_db, enrolled, pull_interval_s=600)
    relay.start()
    try:
        assert relay.sync_now().result(10).pending == 0
        keys = _enqueue(kiosk_db, 3)
        relay.wake()
        assert wait_until(lambda: set(_states(kiosk_db).values()) == {DELIVERED}, 10)
        status = relay.sync_now().result(10)
    finally:
        relay.stop(5)
    assert status == SyncStatus(online=True, pending=0)
    assert any(s.pending == 3 for s in statuses) or len([k for k, *_ in applied_counts(live.db_url) if k in keys]) == 3
    assert relay.sync_now().cancelled()  # after stop


def test_wake_does_not_cut_a_backoff_short(kiosk_db):
    with MisbehavingServer("500") as server:
        client = ServerClient(server.base_url, credentials=("K", "s"))
        relay = Relay(kiosk_db, client, backoff=Backoff(base_s=60, floor_s=30, rng=random.Random(3)))
        _enqueue(kiosk_db, 1)
        relay.start()
        try:
            assert wait_until(lambda: server.request_count == 1, 5)
            _enqueue(kiosk_db, 1)
            relay.wake()
            assert wait_until(lambda: relay.status.pending == 2, 5)  # the count is refreshed ...
            assert server.request_count == 1  # ... but nothing is sent before the backoff ends
            relay.sync_now().result(5)  # staff "sync now" does override it
            assert server.request_count == 2
        finally:
            relay.stop(5)
            client.close()
