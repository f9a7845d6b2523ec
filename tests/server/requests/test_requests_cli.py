"""`kiosk-server request ...`: list with overdue flags, update along the workflow with a note and
a result photo, show with media, call-back, Open311 keys and the catalog."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from kiosk.protocol import ChangeKind
from server.changes import ChangeRow
from server.cli import main
from server.db import utc_now
from server.models.service_requests import Open311Client, RequestCategory, ServiceRequest
from server.requests import workflow
from server.requests.media import FEED_MAX_BYTES, FEED_MAX_PX


def cli(capsys, db, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main([*argv, "--db", db.url])
    out, err = capsys.readouterr()
    return code, out, err


def add(db, tracking_no: str, *, hours_ago: float = 0, category: str = "repair") -> None:  # noqa: ANN001
    at = utc_now() - timedelta(hours=hours_ago)
    db.run(lambda s: workflow.new_request(s, tracking_no=tracking_no, category=category, location="葛巷社区",
                                          description="灯不亮", resident_id="R-000001", kiosk_id="K-CLI",
                                          created_at=at, now=at))


def photo_file(tmp_path, size=(2400, 1800)):  # noqa: ANN001, ANN201
    image = Image.effect_noise(size, 60).convert("RGB")  # noise: a JPEG that does not shrink easily
    path = tmp_path / "result.jpg"
    image.save(path, format="JPEG", quality=95)
    return path


def test_update_moves_a_request_through_the_whole_workflow_with_notes_and_a_result_photo(capsys, db, tmp_path):
    add(db, "CLI-1")
    for status in ("accepted", "dispatched", "in_progress"):
        assert cli(capsys, db, "request", "update", "CLI-1", "--status", status, "--note", f"{status}了",
                   "--operator", "S-0001")[:2] == (0, f"CLI-1 {status}\n")
    code, out, _ = cli(capsys, db, "request", "update", "CLI-1", "--status", "resolved", "--note", "已更换灯泡",
                       "--photo", str(photo_file(tmp_path)))
    assert (code, out) == (0, "CLI-1 resolved\n")
    assert cli(capsys, db, "request", "update", "CLI-1", "--status", "closed")[0] == 0
    photos = db.run(lambda s: [r.data for r in s.scalars(select(ChangeRow).where(
        ChangeRow.kind == ChangeKind.REQUEST_PHOTO.value))])
    assert len(photos) == 1 and photos[0]["tracking_no"] == "CLI-1"
    feed_jpeg = base64.b64decode(photos[0]["data"])
    assert len(feed_jpeg) <= FEED_MAX_BYTES and max(Image.open(io.BytesIO(feed_jpeg)).size) <= FEED_MAX_PX
    last = db.run(lambda s: s.scalars(select(ChangeRow).where(ChangeRow.kind == ChangeKind.REQUEST_STATUS.value)
                                      .order_by(ChangeRow.seq.desc())).first().data)
    assert last["status"] == "closed" and last["result_photo"] == photos[0]["sha256"]
    assert last["handler_note"] == "已更换灯泡"
    assert [e["status"] for e in last["events"]] == ["submitted", "accepted", "dispatched", "in_progress", "resolved",
                                                     "closed"]


def test_a_refused_update_or_an_unreadable_photo_changes_nothing(capsys, db, tmp_path):
    add(db, "CLI-2")
    bad = tmp_path / "not-a-photo.jpg"
    bad.write_bytes(b"hello")
    code, _, err = cli(capsys, db, "request", "update", "CLI-2", "--status", "resolved", "--photo", str(bad))
    assert code == 1 and "submitted -> resolved" in err
    code, _, err = cli(capsys, db, "request", "update", "CLI-2", "--status", "accepted", "--photo", str(bad))
    assert code == 1 and "not an image" in err
    code, _, err = cli(capsys, db, "request", "update", "CLI-2", "--status", "accepted", "--photo", str(tmp_path / "x"))
    assert code == 1 and "cannot read" in err
    assert db.run(lambda s: s.get(ServiceRequest, "CLI-2").status) == "submitted"


def test_list_shows_overdue_flags_and_filters_them(capsys, db):
    add(db, "CLI-OLD", hours_ago=3)
    add(db, "CLI-NEW", hours_ago=0.5)
    code, out, _ = cli(capsys, db, "request", "list")
    lines = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert lines["CLI-OLD"][-1] == "accept" and lines["CLI-NEW"][-1] == "-"
    code, out, _ = cli(capsys, db, "request", "list", "--overdue")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == ["CLI-OLD"]


def test_show_prints_the_timeline_and_saves_the_media(capsys, db, tmp_path):
    add(db, "CLI-3")
    cli(capsys, db, "request", "update", "CLI-3", "--status", "accepted", "--note", "收到")
    cli(capsys, db, "request", "update", "CLI-3", "--status", "in_progress")
    cli(capsys, db, "request", "update", "CLI-3", "--status", "resolved", "--photo", str(photo_file(tmp_path, (300, 200))))
    code, out, _ = cli(capsys, db, "request", "show", "CLI-3", "--media-dir", str(tmp_path / "media"))
    assert code == 0
    assert [line.split("\t")[2] for line in out.splitlines() if line.startswith("event\t")] == [
        "submitted", "accepted", "in_progress", "resolved"]
    saved = list((tmp_path / "media").iterdir())
    assert len(saved) == 1 and Image.open(saved[0]).size == (300, 200)
    assert "R-000001" in out and "王建国" not in out


def test_callback_is_recorded_after_closing_only(capsys, db):
    add(db, "CLI-4")
    assert cli(capsys, db, "request", "callback", "CLI-4", "--note", "电话回访")[0] == 1
    for status in ("accepted", "in_progress", "resolved", "closed"):
        cli(capsys, db, "request", "update", "CLI-4", "--status", status)
    assert cli(capsys, db, "request", "callback", "CLI-4", "--note", "电话回访，满意")[:2] == (0, "CLI-4 called back\n")
    req = db.run(lambda s: s.get(ServiceRequest, "CLI-4"))
    assert req.callback_note == "电话回访，满意" and req.callback_at is not None


def test_open311_key_is_printed_once_and_only_its_hash_is_kept(capsys, db):
    code, out, _ = cli(capsys, db, "request", "open311-key", "--name", "区数据看板")
    client_id, key = out.strip().split("\t")
    assert code == 0 and client_id == "O311-0001" and len(key) >= 32
    stored = db.run(lambda s: s.get(Open311Client, client_id))
    assert stored.name == "区数据看板" and key not in stored.key_hash


def test_publish_catalog_refreshes_categories_and_sends_them_again(capsys, db):
    db.run(lambda s: setattr(s.get(RequestCategory, "noise"), "zh", "旧名字"))
    before = db.run(lambda s: len(s.scalars(select(ChangeRow).where(
        ChangeRow.kind == ChangeKind.REQUEST_CATEGORY.value)).all()))
    code, out, _ = cli(capsys, db, "request", "publish-catalog")
    assert code == 0 and "request_categories=10" in out
    assert db.run(lambda s: s.get(RequestCategory, "noise").zh) == "噪音扰民"
    after = db.run(lambda s: len(s.scalars(select(ChangeRow).where(
        ChangeRow.kind == ChangeKind.REQUEST_CATEGORY.value)).all()))
    assert after == before + 10
