"""Concurrent pushes of one key on PostgreSQL: applied exactly once, in-flight keys answer RETRY 409."""

from __future__ import annotations

import threading
import uuid

from kiosk.protocol import PushResponse
from tests.server.server_helpers import effect_count, record

THREADS = 8


def _push_all_at_once(live, headers_list, rec) -> list:  # noqa: ANN001
    barrier = threading.Barrier(len(headers_list))
    outcomes: list = [None] * len(headers_list)

    def worker(i: int) -> None:
        barrier.wait()
        r = live.push(headers_list[i], [rec])
        outcomes[i] = PushResponse.model_validate(r.json()).results[0] if r.status_code == 200 else r.status_code

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(headers_list))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_the_same_key_pushed_by_many_kiosks_at_once_is_applied_exactly_once(live_pg, test_handlers):
    kiosks = [live_pg.enroll()[1] for _ in range(THREADS)]
    for _ in range(3):
        rec = record("test.echo", {"n": 1})
        results = _push_all_at_once(live_pg, kiosks, rec)
        outcomes = sorted(r.outcome.value for r in results)
        assert outcomes.count("applied") == 1, outcomes
        assert set(outcomes) <= {"applied", "replayed", "retry"}
        assert effect_count(live_pg.db_url, rec["key"]) == 1


def test_a_key_still_in_flight_elsewhere_answers_retry_409_then_replays(live_pg, test_handlers):
    _, headers = live_pg.enroll()
    test_handlers["slow_s"] = 3.0  # longer than the 2 s the server waits on a key in flight
    rec = record("test.slow", {"n": 1}, uuid.uuid4())
    first: list = []
    t = threading.Thread(target=lambda: first.append(live_pg.push(headers, [rec])))
    t.start()
    import time

    time.sleep(0.5)
    racing = PushResponse.model_validate(live_pg.push(headers, [rec]).json()).results[0]
    t.join(30)
    assert racing.outcome == "retry" and racing.status_code == 409 and racing.error.code == "sync.in_flight"
    assert PushResponse.model_validate(first[0].json()).results[0].outcome == "applied"
    again = PushResponse.model_validate(live_pg.push(headers, [rec]).json()).results[0]
    assert again.outcome == "replayed" and effect_count(live_pg.db_url, rec["key"]) == 1


def test_push_semantics_hold_on_postgresql(live_pg, test_handlers):
    _, headers = live_pg.enroll()
    ok, bad = record("test.echo", {"a": 1}), record("test.boom", {"b": 2})
    results = PushResponse.model_validate(live_pg.push(headers, [ok, bad, record("test.echo", {})]).json()).results
    assert [r.outcome for r in results] == ["applied", "retry"]
    clash = record("test.echo", {"a": 2}, uuid.UUID(ok["key"]))
    assert PushResponse.model_validate(live_pg.push(headers, [clash]).json()).results[0].outcome == "conflict"
