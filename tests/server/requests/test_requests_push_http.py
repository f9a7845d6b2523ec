"""The request record kinds pushed over real HTTP: applied once, replayed on repeats, media
assembled from pieces and checked, and the public status behind a receipt."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta

import requests
from sqlalchemy import func, select

from kiosk.protocol import MEDIA_CHUNK_BYTES, tracking_number
from server.db import make_engine, make_sessionmaker, utc_now
from server.models import ServiceRequest, ServiceRequestEvent
from server.models.service_requests import ServiceRequestMedia, ServiceRequestMediaChunk
from server.request_admin import update_status
from server.requests.catalog import seed_catalog
from server.txn import in_transaction
from tests.server.server_helpers import TIMEOUT_S, record


def run(url: str, fn):  # noqa: ANN001, ANN201
    engine = make_engine(url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


def filed(tracking_no: str, media: list[bytes] = (), **extra) -> dict:  # noqa: ANN003
    refs = [{"sha256": hashlib.sha256(m).hexdigest(), "kind": "photo", "mime": "image/jpeg", "size": len(m)}
            for m in media]
    return {"tracking_no": tracking_no, "category": "safety_hazard", "place_code": "C-01-P-FIRE_LANE",
            "place_text": "葛巷社区 消防通道", "phrases": ["fire_lane_blocked"], "text": "楼下堆满了纸箱",
            "urgency": "urgent", "resident_id": "R-000001", "receipt_code": "QW3RT7", "media": refs} | extra


def pieces(tracking_no: str, data: bytes) -> list[dict]:
    parts = [data[i:i + MEDIA_CHUNK_BYTES] for i in range(0, len(data), MEDIA_CHUNK_BYTES)]
    sha = hashlib.sha256(data).hexdigest()
    return [{"tracking_no": tracking_no, "sha256": sha, "index": i, "count": len(parts),
             "data": base64.b64encode(p).decode()} for i, p in enumerate(parts)]


def outcomes(response: requests.Response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    return [(r["outcome"], (r.get("error") or {}).get("code")) for r in response.json()["results"]]


def count(url: str, model) -> int:  # noqa: ANN001
    return run(url, lambda s: s.scalar(select(func.count()).select_from(model)))


def test_filing_with_a_photo_in_pieces_applies_once_and_replays_on_a_repeat(live):
    run(live.db_url, lambda s: seed_catalog(s, now=utc_now()))
    kiosk_id, headers = live.enroll()
    tn = tracking_number("1A2B3C4D", "260302", 1)
    photo = b"\xff\xd8\xff" + os.urandom(MEDIA_CHUNK_BYTES * 2 + 100)
    records = [record("request.file", filed(tn, [photo]))] + [record("request.media", p) for p in pieces(tn, photo)]
    assert len(records) == 4
    first = live.push(headers, records)
    assert outcomes(first) == [("applied", None)] * 4
    assert [r["result"]["complete"] for r in first.json()["results"][1:]] == [False, False, True]
    again = live.push(headers, records)  # the answer was lost: the kiosk sends the same keys again
    assert outcomes(again) == [("replayed", None)] * 4
    assert [r["result"] for r in again.json()["results"]] == [r["result"] for r in first.json()["results"]]
    assert count(live.db_url, ServiceRequest) == 1 and count(live.db_url, ServiceRequestEvent) == 1
    assert count(live.db_url, ServiceRequestMediaChunk) == 0  # assembled and let go
    stored = run(live.db_url, lambda s: s.scalars(select(ServiceRequestMedia)).one().data)
    assert stored == photo
    req = run(live.db_url, lambda s: s.get(ServiceRequest, tn))
    assert (req.kiosk_id, req.resident_id, req.status, req.urgency) == (kiosk_id, "R-000001", "submitted", "urgent")
    assert req.location == "葛巷社区 消防通道" and req.description == "消防通道堵塞；楼下堆满了纸箱"
    assert req.accept_due - req.created_at == timedelta(minutes=15)


def test_a_piece_sent_twice_under_new_keys_is_stored_once_and_a_wrong_file_is_refused(live):
    _kiosk, headers = live.enroll()
    tn, bad = tracking_number("1A2B3C4D", "260302", 2), tracking_number("1A2B3C4D", "260302", 3)
    voice = os.urandom(MEDIA_CHUNK_BYTES + 10)
    first, second = pieces(tn, voice)
    assert outcomes(live.push(headers, [record("request.file", filed(tn, [voice])), record("request.media", first),
                                        record("request.media", first)])) == [("applied", None)] * 3
    answer = live.push(headers, [record("request.media", second)])
    assert answer.json()["results"][0]["result"] == {"tracking_no": tn, "sha256": hashlib.sha256(voice).hexdigest(),
                                                     "received": 2, "count": 2, "complete": True}
    announced = os.urandom(100)
    forged = pieces(bad, os.urandom(100))[0] | {"sha256": hashlib.sha256(announced).hexdigest()}
    assert outcomes(live.push(headers, [record("request.file", filed(bad, [announced])),
                                        record("request.media", forged)])) == [
        ("applied", None), ("rejected", "request.media_corrupt")]
    stray = pieces(tn, os.urandom(10))[0]
    assert outcomes(live.push(headers, [record("request.media", stray)])) == [("rejected", "request.media_unknown")]


def test_a_tracking_number_from_another_kiosk_or_with_a_wrong_check_character_is_refused(live):
    _a, headers_a = live.enroll()
    _b, headers_b = live.enroll()
    tn = tracking_number("1A2B3C4D", "260302", 4)
    assert outcomes(live.push(headers_a, [record("request.file", filed(tn))])) == [("applied", None)]
    assert outcomes(live.push(headers_a, [record("request.file", filed(tn))])) == [("applied", None)]  # same kiosk: same
    assert outcomes(live.push(headers_b, [record("request.file", filed(tn))])) == [("rejected", "request.tracking_taken")]
    wrong = tn[:-1] + ("0" if tn[-1] != "0" else "1")
    assert outcomes(live.push(headers_a, [record("request.file", filed(wrong))])) == [("rejected", "request.tracking_invalid")]
    assert outcomes(live.push(headers_a, [record("request.file", filed(tn[:-1] + "X", text="x" * 4001))])) == [
        ("rejected", "request.invalid")]
    assert count(live.db_url, ServiceRequest) == 1


def test_a_low_rating_reopens_once_even_when_the_record_is_sent_again(live):
    _kiosk, headers = live.enroll()
    tn = tracking_number("1A2B3C4D", "260302", 5)
    live.push(headers, [record("request.file", filed(tn, category="repair"))])
    for status in ("accepted", "in_progress", "resolved"):
        run(live.db_url, lambda s, st=status: update_status(s, tn, st, note="修好了", actor="S-0001", now=utc_now()))
    rating = record("request.rate", {"tracking_no": tn, "stars": 2, "reason": "还在漏", "resident_id": "R-000001"})
    first = live.push(headers, [rating])
    assert outcomes(first) == [("applied", None)]
    assert first.json()["results"][0]["result"]["reopened"] is True
    assert outcomes(live.push(headers, [rating])) == [("replayed", None)]
    statuses = run(live.db_url, lambda s: [e.status for e in s.scalars(
        select(ServiceRequestEvent).where(ServiceRequestEvent.tracking_no == tn).order_by(ServiceRequestEvent.id))])
    assert statuses == ["submitted", "accepted", "in_progress", "resolved", "reopened"]
    other = record("request.reopen", {"tracking_no": tn, "reason": "再看看", "resident_id": "R-000002"})
    assert outcomes(live.push(headers, [other])) == [("rejected", "request.not_yours")]
    feed = live.changes(headers)["changes"]
    mine = [c["data"] for c in feed if c["kind"] == "request_status" and c["key"] == tn]
    assert [d["status"] for d in mine] == ["submitted", "accepted", "in_progress", "resolved", "reopened"]
    assert mine[-1]["events"][-1] == {"status": "reopened", "at": mine[-1]["events"][-1]["at"], "note": "还在漏",
                                      "actor": "resident"}


def test_the_public_status_needs_the_receipt_code_and_shows_no_notes(live):
    _kiosk, headers = live.enroll()
    tn = tracking_number("1A2B3C4D", "260302", 6)
    live.push(headers, [record("request.file", filed(tn))])
    run(live.db_url, lambda s: update_status(s, tn, "accepted", note="王师傅下午上门", actor="S-0001", now=utc_now()))
    url = f"{live.base}/requests/{tn}/public"
    answer = requests.get(url, params={"code": "qw3rt7"}, headers=headers, timeout=TIMEOUT_S)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["tracking_no"], body["category"], body["status"]) == (tn, "safety_hazard", "accepted")
    assert [(e["status"], e["note"], e["actor"]) for e in body["events"]] == [
        ("submitted", "", "resident"), ("accepted", "", "staff")]
    assert "王师傅" not in answer.text and "R-000001" not in answer.text and "纸箱" not in answer.text
    wrong = requests.get(url, params={"code": "ZZZZZZ"}, headers=headers, timeout=TIMEOUT_S)
    unknown = requests.get(f"{live.base}/requests/{tracking_number('1A2B3C4D', '260302', 99)}/public",
                           params={"code": "QW3RT7"}, headers=headers, timeout=TIMEOUT_S)
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json()) == (
        404, {"error": {"code": "request.not_found", "detail": "", "params": {}}})
    assert requests.get(url, params={"code": "QW3RT7"}, timeout=TIMEOUT_S).status_code == 401
