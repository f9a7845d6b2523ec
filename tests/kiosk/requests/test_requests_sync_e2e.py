"""A report's whole loop against the real server over HTTP: filed offline with a photo and a voice
note, receipt printed, synced when online, moved along by the office, followed, rated low and so
reopened on the server; the receipt's QR shows the status at another kiosk."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from devices import registry
from kiosk.requests import filing, follow
from kiosk.requests.catalog import categories, places
from kiosk.requests.errors import RequestError
from kiosk.storage import open_database
from kiosk.sync.enrollment import enroll
from kiosk.sync.relay import Relay
from kiosk.sync.transport import ServerClient
from requests_helpers import camera_jpeg, hazard_draft, voice_wav
from support.sync_fixtures import make_client


def server_run(db_url: str, fn):  # noqa: ANN001, ANN201
    from server.db import make_engine, make_sessionmaker
    from server.txn import in_transaction

    engine = make_engine(db_url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


@pytest.fixture
def catalog(live):  # noqa: ANN001, ANN201
    from server.db import utc_now
    from server.requests.catalog import seed_catalog

    return server_run(live.db_url, lambda s: seed_catalog(s, now=utc_now()))


def office(db_url: str, tracking_no: str, status: str, note: str = "", photo: bytes | None = None) -> None:
    from server.db import utc_now
    from server.request_admin import update_status

    server_run(db_url, lambda s: update_status(s, tracking_no, status, note=note, actor="S-0001", now=utc_now(),
                                               photo=photo, operator_id="S-0001"))


def test_a_hazard_report_filed_offline_goes_round_the_whole_loop(live, seed, catalog, kiosk_db, tmp_path):
    # Offline: the kiosk cannot reach any server; the report still commits and the receipt prints.
    photo, voice = camera_jpeg(), voice_wav(8.0)
    draft = hazard_draft(photo_jpeg=photo, voice_note=voice, voice_note_mime="audio/wav", voice_note_s=8.0)
    with kiosk_db.session() as s:
        code = filing.kiosk_code(s)
    filed = kiosk_db.write(lambda s: filing.file_request(s, draft, "R-000001", code))
    printer = registry.create("printer", "dummy", paper_mm=58)
    try:
        printer.print(filing.receipt_document(filed, draft, filing_categories(kiosk_db), [], 58))
        assert filed.tracking_no.encode() in printer.transport.output
    finally:
        printer.close()
    unreachable = ServerClient("http://127.0.0.1:9", credentials=("K-0", "x"), connect_timeout_s=0.5, deadline_s=2)
    offline = Relay(kiosk_db, unreachable)
    offline.step()
    assert not offline.status.online and offline.status.pending > 2
    unreachable.close()

    # Online: enroll and sync; the server has the report with its media, whole.
    client = make_client(live.url)
    enroll(kiosk_db, client, seed["enroll_code"], "服务大厅一号机")
    relay = Relay(kiosk_db, client)
    try:
        relay.step()
        assert relay.status.online and relay.status.pending == 0 and relay.status.dead == 0
        with kiosk_db.session() as s:
            assert [c.code for c in categories(s)][:2] == ["repair", "public_facilities"] and places(s)
        from server.requests.media import media_of

        stored = server_run(live.db_url, lambda s: {m.kind: m.data for m in media_of(s, filed.tracking_no)})
        assert hashlib.sha256(stored["photo"]).digest() == hashlib.sha256(photo).digest()
        assert stored["voice"] == voice

        # The office takes it, confirms the hazard and resolves it with a note and a photo.
        office(live.db_url, filed.tracking_no, "accepted", "已受理，安排人员清理")
        office(live.db_url, filed.tracking_no, "dispatched", "物业已派单")
        office(live.db_url, filed.tracking_no, "in_progress")
        office(live.db_url, filed.tracking_no, "resolved", "纸箱已清走，通道畅通", photo=camera_jpeg(640, 480))
        relay.step()
        with kiosk_db.session() as s:
            [mine] = follow.my_requests(s, "R-000001")
        assert mine.status == "resolved" and not mine.pending_sync
        assert [e.status for e in mine.events] == ["submitted", "accepted", "dispatched", "in_progress", "resolved"]
        assert mine.handler_note == "纸箱已清走，通道畅通" and mine.result_photo[:3] == b"\xff\xd8\xff"
        assert mine.points_awarded == 20 and "20" in mine.points_reason and mine.can_rate and mine.can_reopen

        # Two stars with a reason: reopened on the server.
        kiosk_db.write(lambda s: follow.rate(s, filed.tracking_no, 2, "楼道里又堆了"))
        relay.step()
        from server.models import ServiceRequest

        assert server_run(live.db_url, lambda s: s.get(ServiceRequest, filed.tracking_no).status) == "reopened"
        with kiosk_db.session() as s:
            again = follow.request_view(s, filed.tracking_no)
        assert again.status == "reopened" and again.events[-1].note == "楼道里又堆了" and not again.can_rate
    finally:
        relay.stop()
        client.close()

    # Another kiosk scans the receipt's QR: the status, nothing personal.
    other_db = open_database(tmp_path / "other.sqlite3")
    other = make_client(live.url)
    try:
        from server.testing import seed_minimal

        enroll(other_db, other, seed_minimal(live.db_url)["enroll_code"], "二号机")
        public = follow.public_status(other, filed.receipt_payload)
        assert (public.tracking_no, public.category, public.status) == (filed.tracking_no, "safety_hazard", "reopened")
        assert all(e.note == "" for e in public.events) and len(public.events) == 6
        forged = filed.receipt_payload[:-6] + "AAAAAA"
        with pytest.raises(RequestError) as info:
            follow.public_status(other, forged)
        assert info.value.key == "requests.not_found"
    finally:
        other.close()
        other_db.close()


def test_public_status_says_offline_when_the_server_cannot_be_reached(kiosk_db):
    with kiosk_db.session() as s:
        code = filing.kiosk_code(s)
    filed = kiosk_db.write(lambda s: filing.file_request(s, hazard_draft(), None, code))
    client = ServerClient("http://127.0.0.1:9", credentials=("K-0", "x"), connect_timeout_s=0.5, deadline_s=2)
    try:
        with pytest.raises(RequestError) as info:
            follow.public_status(client, filed.receipt_payload)
        assert info.value.key == "requests.offline"
    finally:
        client.close()


def test_a_second_kiosk_of_the_community_learns_the_residents_request(live, seed, catalog, kiosk_db, tmp_path):
    from server.testing import seed_minimal

    first = make_client(live.url)
    second_db = open_database(tmp_path / "second.sqlite3")
    second = make_client(live.url)
    try:
        enroll(kiosk_db, first, seed["enroll_code"], "一号机")
        enroll(second_db, second, seed_minimal(live.db_url)["enroll_code"], "二号机")
        with kiosk_db.session() as s:
            code = filing.kiosk_code(s)
        filed = kiosk_db.write(lambda s: filing.file_request(s, hazard_draft(category="repair"), "R-000002", code))
        Relay(kiosk_db, first).step()
        office(live.db_url, filed.tracking_no, "accepted", "已受理")
        Relay(second_db, second).step()
        with second_db.session() as s:
            [seen] = follow.my_requests(s, "R-000002")
            from kiosk.requests.models import FiledRequest

            row = s.scalars(select(FiledRequest)).one()
        assert (seen.tracking_no, seen.status, row.origin, row.text) == (filed.tracking_no, "accepted", "remote", "")
    finally:
        first.close()
        second.close()
        second_db.close()


def filing_categories(db):  # noqa: ANN001, ANN201
    with db.session() as s:
        return categories(s)
