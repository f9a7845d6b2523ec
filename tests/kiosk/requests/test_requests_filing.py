"""Filing offline: the request, its media and its outbox records commit in one transaction;
media go out in pieces that add up to the bytes; the confirmation reads in both languages."""

from __future__ import annotations

import base64
import hashlib

import pytest
from sqlalchemy import func, select

from kiosk.i18n import set_language
from kiosk.protocol import MEDIA_CHUNK_BYTES, ChangeKind, RequestFile
from kiosk.requests import filing
from kiosk.requests.catalog import categories, sample_places
from kiosk.requests.errors import RequestError
from kiosk.requests.follow import request_view
from kiosk.requests.models import FiledRequest, RequestMedia, RequestOutboxLink
from kiosk.sync.models import OutboxRow
from requests_helpers import camera_jpeg, hazard_draft, pull, voice_wav

CODE = "1A2B3C4D"


def counts(db) -> tuple[int, int, int, int]:  # noqa: ANN001
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (FiledRequest, RequestMedia, OutboxRow, RequestOutboxLink))


def test_filing_offline_stores_the_request_its_media_and_every_outbox_record_together(kiosk_db):
    photo, voice = camera_jpeg(), voice_wav(5.0)
    draft = hazard_draft(photo_jpeg=photo, voice_note=voice, voice_note_mime="audio/wav", voice_note_s=5.0)
    filed = kiosk_db.write(lambda s: filing.file_request(s, draft, "R-000001", CODE, operator_id="S-0001"))
    pieces = -(-len(photo) // MEDIA_CHUNK_BYTES) + -(-len(voice) // MEDIA_CHUNK_BYTES)
    assert counts(kiosk_db) == (1, 2, 1 + pieces, 1 + pieces)
    with kiosk_db.session() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.seq)).all()
        assert [r.kind for r in rows] == ["request.file"] + ["request.media"] * pieces
        assert all(r.state == "pending" and r.operator_id == "S-0001" for r in rows)
        sent = RequestFile.model_validate(rows[0].payload)
        assert (sent.tracking_no, sent.category, sent.urgency, sent.resident_id) == (
            filed.tracking_no, "safety_hazard", "urgent", "R-000001")
        assert filed.receipt_payload == f"KR1:{filed.tracking_no}:{sent.receipt_code}"
        for ref, original in zip(sent.media, (photo, voice)):
            assert ref.sha256 == hashlib.sha256(original).hexdigest() and ref.size == len(original)
            parts = sorted((r.payload for r in rows[1:] if r.payload["sha256"] == ref.sha256), key=lambda p: p["index"])
            assert {p["count"] for p in parts} == {len(parts)}
            assert b"".join(base64.b64decode(p["data"]) for p in parts) == original
            assert max(len(base64.b64decode(p["data"])) for p in parts) <= MEDIA_CHUNK_BYTES
        assert {m.kind: m.data for m in s.scalars(select(RequestMedia))} == {"photo": photo, "voice": voice}
        view = request_view(s, filed.tracking_no)
    assert view.status == "submitted" and view.pending_sync and not view.can_rate and not view.can_reopen


def test_a_failure_later_in_the_same_transaction_leaves_no_trace(kiosk_db):
    def file_then_fail(session) -> None:  # noqa: ANN001
        filing.file_request(session, hazard_draft(photo_jpeg=camera_jpeg()), "R-000001", CODE)
        raise RuntimeError("power cut before commit")

    with pytest.raises(RuntimeError):
        kiosk_db.write(file_then_fail)
    assert counts(kiosk_db) == (0, 0, 0, 0)


@pytest.mark.parametrize(("change", "key"), [
    ({"category": ""}, "requests.category_required"),
    ({"urgency": "very"}, "requests.urgency_invalid"),
    ({"text": "漏" * 4001}, "requests.text_too_long"),
    ({"phrases": ["x"] * 21}, "requests.too_many_phrases"),
    ({"photo_jpeg": b"\x89PNG not a jpeg"}, "requests.photo_invalid"),
    ({"photo_jpeg": b"\xff\xd8\xff" + bytes(2 * 1024 * 1024)}, "requests.photo_too_large"),
    ({"voice_note": b"RIFF", "voice_note_mime": None, "voice_note_s": 3.0}, "requests.voice_invalid"),
    ({"voice_note": b"RIFF", "voice_note_mime": "audio/wav", "voice_note_s": 61.0}, "requests.voice_too_long"),
    ({"voice_note": bytes(4 * 1024 * 1024 + 1), "voice_note_mime": "audio/wav", "voice_note_s": 60.0},
     "requests.voice_too_large"),
])
def test_a_draft_that_cannot_be_filed_is_refused_with_a_key_and_nothing_is_stored(kiosk_db, change, key):
    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: filing.file_request(s, hazard_draft(**change), "R-000001", CODE))
    assert info.value.key == key
    assert counts(kiosk_db) == (0, 0, 0, 0)


def test_a_guest_report_has_no_resident_and_keeps_the_place_in_words(kiosk_db):
    pull(kiosk_db, (ChangeKind.REQUEST_PLACES, "C-01", {"community": {
        "code": "C-01", "zh": "葛巷社区", "en": "Gexiang Community", "kind": "community", "children": [
            {"code": "C-01-P-FIRE_LANE", "zh": "消防通道", "en": "Fire lane", "kind": "public", "children": []}]}}))
    filed = kiosk_db.write(lambda s: filing.file_request(s, hazard_draft(), None, CODE))
    with kiosk_db.session() as s:
        row = s.get(FiledRequest, filed.tracking_no)
        payload = s.scalars(select(OutboxRow)).one().payload
    assert row.resident_id is None and row.place_text == "葛巷社区 消防通道"
    assert payload["resident_id"] is None and payload["place_text"] == "葛巷社区 消防通道"


def test_confirm_text_reads_the_whole_report_in_chinese_and_in_english(kiosk_db):
    draft = hazard_draft(place_code="C-01-P-CHARGING", phrases=["fire_lane_blocked", "old_wiring"],
                         photo_jpeg=camera_jpeg(), voice_note=voice_wav(1.0), voice_note_mime="audio/wav",
                         voice_note_s=12.4)
    with kiosk_db.session() as s:
        cats = categories(s)
    text_zh = filing.confirm_text(draft, cats, sample_places())
    assert text_zh == ("您要报告的是：安全隐患。地点：葛巷社区 电动车充电棚。情况：消防通道堵塞，电线老化。"
                       "您补充说：楼下堆满了纸箱。紧急程度：紧急。附有一张照片。附有一段 12 秒的语音留言。请问对吗？")
    set_language("en")
    text_en = filing.confirm_text(draft, cats, sample_places())
    assert text_en == ("You are reporting: Safety hazard. Place: Gexiang Community, E-bike charging shed. "
                       "What is wrong: Fire lane blocked, Old electrical wiring. You added: 楼下堆满了纸箱. "
                       "Urgency: Urgent. A photo is attached. A voice note of 12 seconds is attached. Is this right?")


def test_confirm_text_leaves_out_what_was_not_given(kiosk_db):
    draft = filing.Draft(category="suggestion", place_code="", phrases=[], urgency="normal")
    set_language("en")
    with kiosk_db.session() as s:
        text = filing.confirm_text(draft, categories(s), [])
    assert text == "You are reporting: Suggestion or complaint. Urgency: Not urgent. Is this right?"
