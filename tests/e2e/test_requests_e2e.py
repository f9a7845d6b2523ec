"""Issue #6 done when, through the screens: a resident identified by a real signed card files a safety
hazard OFFLINE with a photo (simulated camera) and a voice note (simulated microphone); the receipt
prints (simulated printer bytes); the kiosk comes online and syncs with the real server over HTTP; the
office resolves it with a note; the kiosk pulls and shows the timeline; the resident rates it 2 stars
with a tapped reason and the server reopens it; the receipt's QR shows the status on another kiosk."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.widgets.virtual_keyboard import enable_input_method

enable_input_method()  # before pytest-qt creates the QApplication, as the kiosk does

from kiosk.config import DeviceRole, load  # noqa: E402
from kiosk.runtime import Runtime, start_runtime  # noqa: E402
from kiosk.storage import open_database  # noqa: E402
from kiosk.sync.service import start_sync  # noqa: E402
from offline_world import SwitchableLink  # noqa: E402
from support.live_server import live_server  # noqa: E402
from ui.app import application, build_window  # noqa: E402

RESIDENT = "R-000001"  # 王建国, 72, seeded by server.testing.seed_minimal
LOCAL = datetime.now().astimezone().tzinfo
DEVICES = {
    "camera": {"driver": "sim", "fps": 30.0},
    "microphone": {"driver": "sim", "time_scale": 0.05},
    "printer": {"driver": "sim", "paper_mm": 58},
}


def server_run(db_url: str, fn):  # noqa: ANN001, ANN201
    from server.db import make_engine, make_sessionmaker
    from server.txn import in_transaction

    engine = make_engine(db_url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


def seed_world(db_url: str) -> dict:
    """The minimal community with one building (3幢, flat 301), the request catalog and map, and an
    enrollment code for each of the two kiosks."""
    from server.db import utc_now
    from server.models.places import Building, Unit
    from server.requests.catalog import seed_catalog
    from server.testing import seed_minimal

    seed = seed_minimal(db_url)
    codes = [seed["enroll_code"], seed_minimal(db_url)["enroll_code"]]

    def place_map(session) -> None:  # noqa: ANN001
        session.add(Building(id="B-GX-03", community_id=seed["community_id"], name="3幢"))
        session.flush()
        session.add(Unit(id="B-GX-03-301", building_id="B-GX-03", name="301室"))
        session.flush()
        seed_catalog(session, now=utc_now())

    server_run(db_url, place_map)
    return {**seed, "codes": codes}


def card_for(db_url: str, resident_id: str) -> str:
    """The resident's QR card: a real token signed by the server."""
    from server.identity_admin import issue_identity_token

    return server_run(db_url, lambda s: issue_identity_token(s, resident_id, days=30, now=datetime.now(LOCAL))[0])


def kiosk(path: Path, url: str, code: str, name: str) -> Runtime:
    """A kiosk runtime on its own database with the device twins, enrolled and synced once."""
    config = load(None).model_copy(deep=True)
    config.server.url = url
    config.server.connect_timeout_s, config.server.read_timeout_s, config.server.deadline_s = 1.0, 5.0, 10.0
    config = config.model_copy(update={"devices": {r: DeviceRole.model_validate(d) for r, d in DEVICES.items()}})
    runtime = start_runtime(config, speech=False, database=False, logs=False)
    runtime.database = open_database(path)
    runtime.sync = start_sync(config, runtime.database)
    runtime.sync.enroll(code, name)
    status = runtime.sync.relay.sync_now().result(timeout=60)
    assert status.online and status.refused is None, status
    return runtime


def window(qtbot, runtime):  # noqa: ANN001, ANN201
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    return win


def click(qtbot, win, name: str) -> None:  # noqa: ANN001
    button = win.findChild(QPushButton, name)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_text(qtbot, win, prefix: str, text: str) -> None:  # noqa: ANN001
    for button in win.findChildren(QPushButton):
        if button.objectName().startswith(prefix) and button.isVisible() and button.accessibleName() == text:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise AssertionError(f"no visible {prefix} button {text!r}")


def on(qtbot, win, name: str, state: str | None = None, timeout: int = 15_000):  # noqa: ANN001, ANN201
    qtbot.waitUntil(lambda: win.screens.current is not None and win.screens.current.name == name
                    and (state is None or win.screens.current.state == state), timeout=timeout)
    return win.screens.current


def qr_payloads(escpos: bytes) -> list[str]:
    """The data of every native QR code in ESC/POS bytes (GS ( k <pL> <pH> 49 80 48 data)."""
    found = []
    for match in re.finditer(rb"\x1d\(k(.)(.)\x31\x50\x30", escpos, re.DOTALL):
        length = match.group(1)[0] + 256 * match.group(2)[0] - 3
        found.append(escpos[match.end():match.end() + length].decode("ascii"))
    return found


def server_request(db_url: str, tracking_no: str) -> dict:
    from sqlalchemy import select

    from server.models import ServiceRequest, ServiceRequestEvent
    from server.requests.media import media_of

    def read(session) -> dict:  # noqa: ANN001
        row = session.get(ServiceRequest, tracking_no)
        if row is None:
            return {}
        return {"status": row.status, "resident_id": row.resident_id, "category": row.category,
                "place_code": row.place_code, "rating": row.rating, "reason": row.rating_reason,
                "points": row.points_awarded,
                "events": [(e.status, e.note, e.actor) for e in session.scalars(
                    select(ServiceRequestEvent).where(ServiceRequestEvent.tracking_no == tracking_no)
                    .order_by(ServiceRequestEvent.id))],
                "media": {m.kind: (m.sha256, m.data) for m in media_of(session, tracking_no)}}

    return server_run(db_url, read)


def office(db_url: str, tracking_no: str, status: str, note: str = "") -> None:
    from server.db import utc_now
    from server.request_admin import update_status

    server_run(db_url, lambda s: update_status(s, tracking_no, status, note=note, actor="S-0001", now=utc_now(),
                                               operator_id="S-0001"))


@pytest.fixture
def world(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_world(db_url)
    with live_server(db_url, migrate=False) as server:
        link = SwitchableLink(server.base_url).start()
        try:
            yield db_url, seed, server, link
        finally:
            link.stop()


def test_a_safety_hazard_goes_round_the_whole_loop_through_the_screens(qtbot, tmp_path, world):
    db_url, seed, server, link = world
    hall = kiosk(tmp_path / "hall.sqlite3", link.base_url, seed["codes"][0], "服务大厅一号机")
    lobby = None
    win = window(qtbot, hall)
    try:
        card = card_for(db_url, RESIDENT)
        link.cut = True  # the network goes down: everything below until "online" is offline

        # -- file the report, offline ------------------------------------------------------------------
        win.navigate("requests")
        click(qtbot, win, "requestsChoice_new")
        on(qtbot, win, "identify").submit_payload(card)  # verified offline with the pulled keys
        on(qtbot, win, "requests_category", "default")
        assert win.ctx.session.resident.masked_name == "王*国"
        click_text(qtbot, win, "requestsCategory_", "安全隐患")
        on(qtbot, win, "requests_place", "default")
        click_text(qtbot, win, "requestsPlaceChoice_", "3幢")
        click_text(qtbot, win, "requestsPlaceChoice_", "1单元")
        click_text(qtbot, win, "requestsPlaceChoice_", "301室")
        details = on(qtbot, win, "requests_details")
        click_text(qtbot, win, "requestsPhrase_", "消防通道堵塞")
        click(qtbot, win, "requestsUrgency_urgent")
        click(qtbot, win, "requestsDetailsPhoto")
        photo = on(qtbot, win, "requests_photo", "default")
        qtbot.waitUntil(lambda: photo.view.pixmap() is not None and not photo.view.pixmap().isNull(), timeout=10_000)
        click(qtbot, win, "requestsPhotoTake")
        on(qtbot, win, "requests_photo", "taken")
        click(qtbot, win, "requestsPhotoUse")
        on(qtbot, win, "requests_details")
        click(qtbot, win, "requestsDetailsVoice")
        voice = on(qtbot, win, "requests_voice", "default")
        click(qtbot, win, "requestsVoiceStart")
        qtbot.waitUntil(lambda: voice.elapsed_s >= 2.0, timeout=15_000)
        click(qtbot, win, "requestsVoiceStop")
        on(qtbot, win, "requests_voice", "recorded")
        click(qtbot, win, "requestsVoiceUse")
        on(qtbot, win, "requests_details")
        draft = details.flow.draft
        click(qtbot, win, "requestsDetailsNext")
        confirm = on(qtbot, win, "requests_confirm", "default")
        assert "消防通道堵塞" in confirm.summary.text() and "3幢 1单元 301室" in confirm.summary.text()
        click(qtbot, win, "requestsConfirmSend")
        receipt = on(qtbot, win, "requests_receipt", "printed", timeout=30_000)
        filed = receipt.filed
        tracking_no = filed.tracking_no

        # -- the receipt printed; nothing reached the server ---------------------------------------------
        out = hall.devices.get("printer").transport.output
        assert tracking_no.encode("ascii") in out and "安全隐患".encode("gb18030") in out
        assert qr_payloads(out) == [filed.receipt_payload]
        assert out.rindex(b"\x1d\x56\x00") > out.rindex(filed.receipt_payload.encode("ascii"))  # then the cut
        assert server_request(db_url, tracking_no) == {}
        assert hall.sync.relay.sync_now().result(timeout=60).online is False

        # -- online: the relay delivers the report with its media, whole ---------------------------------
        link.heal()
        status = hall.sync.relay.sync_now().result(timeout=60)
        assert status.online and status.pending == 0 and status.dead == 0
        sent = server_request(db_url, tracking_no)
        assert (sent["status"], sent["resident_id"], sent["category"], sent["place_code"]) == (
            "submitted", RESIDENT, "safety_hazard", "B-GX-03-301")
        assert sent["media"]["voice"][1] == draft.voice_note
        assert sent["media"]["voice"][0] == hashlib.sha256(draft.voice_note).hexdigest()
        assert "photo" in sent["media"] and sent["media"]["photo"][1][:3] == b"\xff\xd8\xff"

        # -- the office moves it along; the kiosk pulls the timeline ------------------------------------
        office(db_url, tracking_no, "accepted", "已派网格员查看")
        office(db_url, tracking_no, "in_progress")
        office(db_url, tracking_no, "resolved", "消防通道已清理干净")
        assert server_request(db_url, tracking_no)["points"] > 0  # a confirmed hazard earns points
        assert hall.sync.relay.sync_now().result(timeout=60).online
        click(qtbot, win, "requestsReceiptDone")
        on(qtbot, win, "requests")
        click(qtbot, win, "requestsChoice_mine")  # still identified in this session
        on(qtbot, win, "requests_mine", "default")
        click(qtbot, win, "requestsMineItem_0")
        timeline = on(qtbot, win, "requests_timeline")
        qtbot.waitUntil(lambda: timeline.view.status == "resolved", timeout=10_000)
        assert timeline.status.text() == "当前状态：已解决"
        steps = " ".join(label.text() for label in timeline.timeline.lines if label.isVisible())
        assert "已解决：消防通道已清理干净" in steps and "已受理" in steps
        assert "积分" in timeline.view.points_reason
        timeline.read_aloud()
        assert "消防通道已清理干净" in timeline.words()

        # -- 2 stars with a reason: the server reopens it ------------------------------------------------
        click(qtbot, win, "requestsTimelineRate")
        on(qtbot, win, "requests_rate", "default")
        click(qtbot, win, "requestsStar2")
        on(qtbot, win, "requests_rate", "why")
        click_text(qtbot, win, "requestsRateReason_", "问题没有解决")
        click(qtbot, win, "requestsRateSend")
        on(qtbot, win, "requests_rate", "thanks_reopened")
        qtbot.waitUntil(lambda: server_request(db_url, tracking_no)["status"] == "reopened", timeout=30_000)
        # the low rating reopened it: its reason is the reopening's note, by the resident (the
        # server clears the rating for the new round)
        assert server_request(db_url, tracking_no)["events"][-1] == ("reopened", "问题没有解决", "resident")

        # -- another kiosk: the receipt's QR shows the status, nothing personal -----------------------
        lobby = kiosk(tmp_path / "lobby.sqlite3", server.base_url, seed["codes"][1], "社区活动室")
        other = window(qtbot, lobby)
        try:
            other.navigate("requests")
            click(qtbot, other, "requestsChoice_check")
            check = on(qtbot, other, "requests_check", "default")
            check.submit_payload(qr_payloads(out)[0])  # what the scanner reads off the printed receipt
            public = on(qtbot, other, "requests_public", timeout=30_000)
            assert public.now.text() == "当前状态：重新办理中"
            assert tracking_no in public.heading.text() and "安全隐患" in public.heading.text()
            shown = " ".join(w.text() for w in other.findChildren(type(public.now)) if w.isVisible())
            for personal in ("王*国", "王建国", RESIDENT, "301室", "消防通道已清理干净", "问题没有解决"):
                assert personal not in shown
            assert other.ctx.session.resident is None  # nobody logged in to see it
        finally:
            other.shutdown()
            other.close()
    finally:
        win.shutdown()
        win.close()
        for runtime in (hall, lobby):
            if runtime is not None:
                runtime.close()
