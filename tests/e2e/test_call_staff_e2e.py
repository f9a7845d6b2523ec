"""The "call staff" tile end to end: a resident's touch reaches the server and a nearby kiosk; staff answer it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.help_calls import cancel_call, open_calls
from kiosk.i18n import set_language
from support.ops_world import new_enroll_code, on_server, ops_kiosk
from support.sync_fixtures import live, live_db_url, seed  # noqa: F401 - fixtures
from ui.app import application, build_window


def _server_call(db_url: str, call_id: str):  # noqa: ANN202
    from server.ops.models import HelpCall

    return on_server(db_url, lambda s: s.get(HelpCall, call_id))


@pytest.fixture
def two_kiosks(tmp_path, live, seed):  # noqa: F811
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "葛巷大厅") as hall, \
            ops_kiosk(tmp_path, live.url, new_enroll_code(live.db_url, "C-01"), "葛巷二楼") as upstairs:
        yield hall, upstairs


def _window(qtbot, runtime):
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    return win


def test_a_touch_on_call_staff_reaches_nearby_staff_who_answer_it(qtbot, two_kiosks, live):  # noqa: F811
    hall, upstairs = two_kiosks
    hall.sync.relay.sync_now = lambda: None  # the test steps the relay itself
    win = _window(qtbot, hall)
    try:
        tile = next(t for t in win.screens.current.tiles if t.service == "call_staff")
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        screen = win.screens.current
        assert screen.name == "call_staff"
        qtbot.waitUntil(lambda: screen.state == "raised", timeout=5000)
        call_id = screen.call_id
        hall.sync.relay.step()
        assert _server_call(live.db_url, call_id).status == "open"
        upstairs.sync.relay.step()
        with upstairs.database.session() as s:
            [seen] = open_calls(s)
        assert (seen.call_id, seen.kiosk_name) == (call_id, "葛巷大厅")

        upstairs.database.write(lambda s: cancel_call(s, call_id, "staff:S-0001"))  # staff: "on my way"
        upstairs.sync.relay.step()
        hall.sync.relay.step()  # the pull tells the calling kiosk; its screen says so
        qtbot.waitUntil(lambda: screen.state == "answered", timeout=5000)
        assert "工作人员" in screen.heading.text()
    finally:
        win.shutdown()
        win.close()


def test_the_resident_can_cancel_the_call_and_the_server_learns_why(qtbot, two_kiosks, live):  # noqa: F811
    hall, _ = two_kiosks
    hall.sync.relay.sync_now = lambda: None
    win = _window(qtbot, hall)
    set_language("en")
    try:
        screen = win.screens.show("call_staff")
        qtbot.waitUntil(lambda: screen.state == "raised", timeout=5000)
        qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.state == "cancelled", timeout=5000)
        assert screen.heading.text() == "Call cancelled"
        hall.sync.relay.step()
        server = _server_call(live.db_url, screen.call_id)
        assert (server.status, server.closed_by) == ("cancelled", "resident")
    finally:
        win.shutdown()
        win.close()


def test_without_a_database_the_call_fails_in_words_and_offers_another_try(qtbot, tmp_path):
    from support.kiosk_world import kiosk_runtime

    with kiosk_runtime(tmp_path) as runtime:
        win = _window(qtbot, runtime)
        db, runtime.database = runtime.database, None
        try:
            screen = win.screens.show("call_staff")
            assert screen.state == "failed"
            assert screen.retry_button.isVisibleTo(screen)
            runtime.database = db
            qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: screen.state == "raised", timeout=5000)
        finally:
            runtime.database = db
            win.shutdown()
            win.close()
