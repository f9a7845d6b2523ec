"""Push idempotency (Stripe model): applied once, replayed, conflicts, rejections, transient stops."""

from __future__ import annotations

import uuid

from kiosk.protocol import PushResponse
from tests.server.server_helpers import effect_count, record


def _results(response) -> list:  # noqa: ANN001
    assert response.status_code == 200, response.text
    return PushResponse.model_validate(response.json()).results


def test_a_record_is_applied_once_and_a_repeat_replays_the_stored_answer(live, test_handlers):
    kiosk_id, headers = live.enroll()
    rec = record("test.echo", {"n": 1})
    first = _results(live.push(headers, [rec]))[0]
    assert first.outcome == "applied" and first.status_code == 200
    assert first.result == {"echo": {"n": 1}, "kiosk_id": kiosk_id}
    again = _results(live.push(headers, [rec]))[0]
    assert again.outcome == "replayed" and again.status_code == 200 and again.result == first.result
    assert effect_count(live.db_url, rec["key"]) == 1


def test_the_same_key_with_a_different_payload_is_a_422_conflict(live, test_handlers):
    _, headers = live.enroll()
    key = uuid.uuid4()
    assert _results(live.push(headers, [record("test.echo", {"n": 1}, key)]))[0].outcome == "applied"
    clash = _results(live.push(headers, [record("test.echo", {"n": 2}, key)]))[0]
    assert clash.outcome == "conflict" and clash.status_code == 422 and clash.error.code == "sync.key_reused"
    assert effect_count(live.db_url, str(key)) == 1


def test_an_unknown_kind_is_rejected_and_the_rejection_is_stored(live):
    _, headers = live.enroll()
    rec = record("no.such.kind", {})
    first = _results(live.push(headers, [rec]))[0]
    assert first.outcome == "rejected" and first.status_code == 422
    assert first.error.code == "sync.unknown_kind" and first.error.params == {"kind": "no.such.kind"}
    again = _results(live.push(headers, [rec]))[0]
    assert (again.outcome, again.status_code, again.error) == ("rejected", 422, first.error)


def test_a_rejecting_handler_leaves_no_effect_and_its_rejection_is_replayed(live, test_handlers):
    _, headers = live.enroll()
    rec = record("test.reject", {"x": 1})
    first = _results(live.push(headers, [rec]))[0]
    assert first.outcome == "rejected" and first.status_code == 409
    assert first.error.code == "test.refused" and first.error.params == {"reason": "because"}
    assert effect_count(live.db_url, rec["key"]) == 0
    again = _results(live.push(headers, [rec]))[0]
    assert (again.outcome, again.status_code, again.error) == ("rejected", 409, first.error)


def test_a_batch_stops_at_the_first_transient_failure_which_is_not_stored(live, test_handlers):
    _, headers = live.enroll()
    ok1, bad, ok2 = record("test.echo", {"i": 1}), record("test.boom", {"i": 2}), record("test.echo", {"i": 3})
    results = _results(live.push(headers, [ok1, bad, ok2]))
    assert [r.outcome for r in results] == ["applied", "retry"]
    assert results[1].status_code == 503 and results[1].error.code == "sync.transient"
    assert effect_count(live.db_url, bad["key"]) == 0 and effect_count(live.db_url, ok2["key"]) == 0
    test_handlers["boom"] = False  # the fault passes: the same batch is sent again
    results = _results(live.push(headers, [ok1, bad, ok2]))
    assert [r.outcome for r in results] == ["replayed", "applied", "applied"]
    assert [effect_count(live.db_url, r["key"]) for r in (ok1, bad, ok2)] == [1, 1, 1]


def test_records_are_applied_in_order_each_in_its_own_transaction(live, test_handlers):
    _, headers = live.enroll()
    recs = [record("test.echo", {"i": 1}), record("test.reject", {"i": 2}), record("test.echo", {"i": 3})]
    results = _results(live.push(headers, recs))
    assert [str(r.key) for r in results] == [r["key"] for r in recs]
    assert [r.outcome for r in results] == ["applied", "rejected", "applied"]
    assert [effect_count(live.db_url, r["key"]) for r in recs] == [1, 0, 1]


def test_a_malformed_push_is_a_422_request_invalid_without_echoing_values(live):
    _, headers = live.enroll()
    r = live.push(headers, [{"key": "not-a-uuid", "kind": "x", "payload": {"phone": "13812345678"},
                             "created_at": "2026-01-01T00:00:00Z"}])
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "request.invalid" and "13812345678" not in r.text
    assert any(e["loc"][-1] == "key" for e in body["params"]["errors"])
