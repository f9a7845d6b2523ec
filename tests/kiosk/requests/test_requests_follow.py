"""Following requests on the kiosk: pulled snapshots drive the timeline, rating and reopening
follow the rules, the catalog and place map come from the pull, receipts are recognised."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.i18n import set_language
from kiosk.protocol import ChangeKind, RequestRate, RequestReopen, tracking_number
from kiosk.requests import filing, follow
from kiosk.requests.catalog import categories, place_path_text, places
from kiosk.requests.errors import RequestError
from kiosk.requests.models import FiledRequest
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import OutboxRow
from requests_helpers import camera_jpeg, hazard_draft, pull, snapshot


def file_one(db, resident="R-000001") -> tuple[str, object]:  # noqa: ANN001
    filed = db.write(lambda s: filing.file_request(s, hazard_draft(category="repair"), resident, "1A2B3C4D"))
    return filed.tracking_no, filed.created_at


def mark_sent(db) -> None:  # noqa: ANN001
    """The relay delivered everything queued so far."""
    db.write(lambda s: [setattr(r, "state", "delivered") for r in s.scalars(select(OutboxRow))])


def resolve(db, tracking_no, created, *, ago=timedelta(hours=1), **extra):  # noqa: ANN001, ANN003
    done = utc_now() - ago
    pull(db, (ChangeKind.REQUEST_STATUS, tracking_no, snapshot(
        tracking_no, "resolved", created_at=created,
        events=[("submitted", created, "", "resident"), ("accepted", created, "已受理", "staff"),
                ("resolved", done, "已修好", "staff")],
        handler_note="已修好", finished_at=done.isoformat(), **extra)))


def view(db, tracking_no):  # noqa: ANN001, ANN201
    with db.session() as s:
        return follow.request_view(s, tracking_no)


def queued(db, kind: str) -> list[dict]:  # noqa: ANN001
    with db.session() as s:
        return [r.payload for r in s.scalars(select(OutboxRow).where(OutboxRow.kind == kind))]


def test_a_pulled_snapshot_gives_the_timeline_notes_photo_and_points(kiosk_db):
    tracking_no, created = file_one(kiosk_db)
    mark_sent(kiosk_db)
    photo = camera_jpeg(320, 240)
    pull(kiosk_db, (ChangeKind.REQUEST_PHOTO, "sha-1", {"tracking_no": tracking_no, "sha256": "sha-1", "mime": "image/jpeg",
                                                        "data": base64.b64encode(photo).decode()}))
    resolve(kiosk_db, tracking_no, created, result_photo="sha-1", points_awarded=20,
            points_reason="safety_hazard_confirmed")
    seen = view(kiosk_db, tracking_no)
    assert seen.status == "resolved" and not seen.pending_sync
    assert [(e.status, e.note, e.actor) for e in seen.events] == [
        ("submitted", "", "resident"), ("accepted", "已受理", "staff"), ("resolved", "已修好", "staff")]
    assert seen.handler_note == "已修好" and seen.result_photo == photo
    assert seen.points_awarded == 20 and seen.points_reason == "您报告的安全隐患已确认，奖励 20 积分（治理）。谢谢您！"
    set_language("en")
    assert view(kiosk_db, tracking_no).points_reason == (
        "The safety hazard you reported was confirmed: 20 points for governance. Thank you!")
    assert seen.can_rate and seen.can_reopen


def test_a_low_rating_needs_a_reason_and_is_queued_once(kiosk_db):
    tracking_no, created = file_one(kiosk_db)
    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: follow.rate(s, tracking_no, 5))
    assert info.value.key == "requests.not_rateable"  # not resolved yet
    resolve(kiosk_db, tracking_no, created)
    for stars, reason, key in ((2, " ", "requests.rating_needs_reason"), (0, "x", "requests.rating_invalid"),
                               (6, "", "requests.rating_invalid")):
        with pytest.raises(RequestError) as info:
            kiosk_db.write(lambda s, st=stars, r=reason: follow.rate(s, tracking_no, st, r))
        assert info.value.key == key
    kiosk_db.write(lambda s: follow.rate(s, tracking_no, 2, "灯还是不亮"))
    assert [RequestRate.model_validate(p) for p in queued(kiosk_db, "request.rate")] == [
        RequestRate(tracking_no=tracking_no, stars=2, reason="灯还是不亮", resident_id="R-000001")]
    after = view(kiosk_db, tracking_no)
    assert after.rating == 2 and not after.can_rate and not after.can_reopen and after.pending_sync
    with pytest.raises(RequestError):
        kiosk_db.write(lambda s: follow.rate(s, tracking_no, 4))


def test_a_stale_snapshot_does_not_undo_a_rating_still_waiting_to_be_sent(kiosk_db):
    tracking_no, created = file_one(kiosk_db)
    resolve(kiosk_db, tracking_no, created)
    kiosk_db.write(lambda s: follow.rate(s, tracking_no, 4))
    resolve(kiosk_db, tracking_no, created)  # pulled again before the rating went out
    assert view(kiosk_db, tracking_no).rating == 4
    mark_sent(kiosk_db)
    pull(kiosk_db, (ChangeKind.REQUEST_STATUS, tracking_no, snapshot(
        tracking_no, "closed", created_at=created, events=[("closed", utc_now(), "", "resident")], rating=4)))
    closed = view(kiosk_db, tracking_no)
    assert closed.status == "closed" and closed.rating == 4 and not closed.can_rate


def test_reopening_needs_a_reason_and_the_window(kiosk_db):
    fresh, created = file_one(kiosk_db)
    old, created_old = file_one(kiosk_db)
    now = utc_now()
    resolve(kiosk_db, fresh, created, reopen_until=(now + timedelta(days=6)).isoformat())
    resolve(kiosk_db, old, created_old, ago=timedelta(days=8), reopen_until=(now - timedelta(days=1)).isoformat())
    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: follow.reopen(s, fresh, "  "))
    assert info.value.key == "requests.reason_required"
    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: follow.reopen(s, old, "没修好"))
    assert (info.value.key, info.value.params) == ("requests.reopen_window_passed", {"days": 7})
    assert not view(kiosk_db, old).can_reopen and view(kiosk_db, old).can_rate
    kiosk_db.write(lambda s: follow.reopen(s, fresh, "没修好"))
    assert [RequestReopen.model_validate(p).reason for p in queued(kiosk_db, "request.reopen")] == ["没修好"]
    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: follow.reopen(s, fresh, "再来"))
    assert info.value.key == "requests.not_reopenable"


def test_without_a_window_from_the_server_the_pulled_setting_decides(kiosk_db):
    tracking_no, created = file_one(kiosk_db)
    resolve(kiosk_db, tracking_no, created, ago=timedelta(days=2))
    assert view(kiosk_db, tracking_no).can_reopen  # 7 days by default
    pull(kiosk_db, (ChangeKind.KIOSK_CONFIG, "global", {"scope": "global",
                                                        "settings": {"requests.reopen_window_days": 1}}))
    assert not view(kiosk_db, tracking_no).can_reopen


def test_a_guests_request_cannot_be_rated_or_reopened(kiosk_db):
    tracking_no, created = file_one(kiosk_db, resident=None)
    resolve(kiosk_db, tracking_no, created, resident_id=None)
    seen = view(kiosk_db, tracking_no)
    assert not seen.can_rate and not seen.can_reopen
    with pytest.raises(RequestError):
        kiosk_db.write(lambda s: follow.reopen(s, tracking_no, "x"))


def test_my_requests_lists_the_residents_own_newest_first_including_ones_filed_elsewhere(kiosk_db):
    first, _ = file_one(kiosk_db)
    file_one(kiosk_db, resident="R-000002")
    second, _ = file_one(kiosk_db)
    elsewhere = tracking_number("9F3E21AB", "260301", 3)
    created = utc_now() + timedelta(minutes=5)
    pull(kiosk_db, (ChangeKind.REQUEST_STATUS, elsewhere, snapshot(
        elsewhere, "accepted", created_at=created, events=[("submitted", created, "", "resident"),
                                                            ("accepted", created, "", "staff")])))
    with kiosk_db.session() as s:
        mine = follow.my_requests(s, "R-000001")
        remote = s.get(FiledRequest, elsewhere)
    assert [v.tracking_no for v in mine] == [elsewhere, second, first]
    assert remote.origin == "remote" and mine[0].place_text == "葛巷社区 小区大门" and mine[0].status == "accepted"


def test_categories_and_places_come_from_the_pull_with_the_built_in_list_before_it(kiosk_db):
    with kiosk_db.session() as s:
        assert len(categories(s)) == 10 and places(s) == []
    pull(kiosk_db,
         (ChangeKind.REQUEST_CATEGORY, "noise", {"code": "noise", "zh": "噪音", "en": "Noise", "icon": "requests/noise",
                                                 "phrases": [{"code": "n1", "zh": "夜间", "en": "At night"}],
                                                 "safety_hazard": False, "sort": 2, "active": True}),
         (ChangeKind.REQUEST_CATEGORY, "repair", {"code": "repair", "zh": "报修", "en": "Repairs", "icon": "", "phrases": [],
                                                  "safety_hazard": False, "sort": 1, "active": True}),
         (ChangeKind.REQUEST_CATEGORY, "old", {"code": "old", "zh": "旧", "en": "Old", "icon": "", "phrases": [],
                                               "safety_hazard": False, "sort": 0, "active": False}),
         (ChangeKind.REQUEST_PLACES, "C-01", {"community": {
             "code": "C-01", "zh": "葛巷社区", "en": "Gexiang Community", "kind": "community", "children": [
                 {"code": "C-01-B03", "zh": "3幢", "en": "Building 3", "kind": "building", "children": [
                     {"code": "C-01-B03-U2", "zh": "2单元", "en": "Unit 2", "kind": "unit", "children": [
                         {"code": "C-01-B03-0301", "zh": "301室", "en": "Room 301", "kind": "room", "children": []}]}]}]}}))
    with kiosk_db.session() as s:
        cats, mapped = categories(s), places(s)
    assert [c.code for c in cats] == ["repair", "noise"] and cats[1].phrases[0].name("en") == "At night"
    assert place_path_text(mapped, "C-01-B03-0301", "zh_CN") == "葛巷社区 3幢 2单元 301室"
    assert place_path_text(mapped, "C-01-B03-0301", "en") == "Gexiang Community, Building 3, Unit 2, Room 301"
    assert place_path_text(mapped, "NOWHERE", "zh_CN") == ""


def test_a_receipt_payload_is_recognised_and_anything_else_is_not():
    number = tracking_number("1A2B3C4D", "260302", 7)
    assert follow.parse_receipt_payload(f"KR1:{number}:QW3RT7") == number
    assert follow.parse_receipt_payload(f" kr1:{number.lower()}:qw3rt7\r\n") == number
    wrong = number[:-1] + ("A" if number[-1] != "A" else "B")
    for text in (f"KR1:{wrong}:QW3RT7", number, f"KR1:{number}", "KT1:ABC:R:R-000001:1:2:0123456789ABCDEF:SIG", ""):
        assert follow.parse_receipt_payload(text) is None, text


def test_public_status_refuses_a_text_that_is_not_a_receipt_without_asking_the_server():
    class NoServer:
        def call(self, *args, **kw):  # noqa: ANN002, ANN003, ANN202
            raise AssertionError("the server must not be asked")

    with pytest.raises(RequestError) as info:
        follow.public_status(NoServer(), "hello")
    assert info.value.key == "requests.invalid_receipt"
