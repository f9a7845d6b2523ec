"""Following reports on the requests screens: my requests behind the card, the timeline, a low rating
with a tapped reason, reopening within the window, receipts at the check screen, session end."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from ui.widgets.virtual_keyboard import enable_input_method

enable_input_method()  # before pytest-qt creates the QApplication: the real on-screen keyboard

from kiosk.protocol import RecordKind  # noqa: E402
from requests_ui_helpers import (  # noqa: E402
    RESIDENT, SIM_DEVICES, close_window, open_window, click, click_text, file_directly, identified, outbox_payloads,
    pull_status, wait_screen,
)
from support.kiosk_world import kiosk_runtime, new_issuer  # noqa: E402
from ui.widgets.requests_flow import load_flow  # noqa: E402


# -- following ------------------------------------------------------------------------------------------
def test_a_resolved_request_is_rated_two_stars_with_a_tapped_reason_which_reopens_it(qtbot, tmp_path):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path, {}) as runtime:
        card = identified(runtime, issuer)
        _flow, filed = file_directly(runtime)
        pull_status(runtime, filed.tracking_no, "resolved", "电线已更换")
        win = open_window(qtbot, runtime)
        try:
            win.navigate("requests")
            click(qtbot, win, "requestsChoice_mine")
            identify = wait_screen(qtbot, win, "identify")
            assert not identify.guest_button.isVisible()  # my requests need the card
            identify.submit_payload(card)
            mine = wait_screen(qtbot, win, "requests_mine", "default")
            click(qtbot, win, "requestsMineItem_0")
            timeline = wait_screen(qtbot, win, "requests_timeline")
            assert timeline.status.text() == "当前状态：已解决（还没发送）"  # filed here, not delivered yet
            lines = [label.text() for label in timeline.timeline.lines if label.isVisible()]
            assert [line.split("  ", 1)[1] for line in lines] == ["已提交", "已受理", "已解决：电线已更换"]
            click(qtbot, win, "requestsTimelineToggle")
            assert timeline.note.text() == "工作人员说明：电线已更换"
            click(qtbot, win, "requestsTimelineRate")
            rate = wait_screen(qtbot, win, "requests_rate", "default")
            click(qtbot, win, "requestsStar2")
            assert rate.state == "why"
            send = win.findChild(QPushButton, "requestsRateSend")
            assert not send.isEnabled()  # a low rating needs a reason first
            click_text(qtbot, win, "requestsRateReason_", "问题没有解决")
            click(qtbot, win, "requestsRateSend")
            wait_screen(qtbot, win, "requests_rate", "thanks_reopened")
            assert outbox_payloads(runtime, RecordKind.REQUEST_RATE.value) == [
                {"tracking_no": filed.tracking_no, "stars": 2, "reason": "问题没有解决", "resident_id": RESIDENT}]
            click(qtbot, win, "requestsRateDone")
            wait_screen(qtbot, win, "requests_timeline")
            qtbot.waitUntil(lambda: not timeline.rate_button.isVisible(), timeout=5000)  # rated once
            assert mine.views  # the list was read from the database
        finally:
            close_window(win)


def test_reopening_is_offered_only_within_the_window(qtbot, tmp_path):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path, {}) as runtime:
        identified(runtime, issuer)
        _flow, recent = file_directly(runtime)
        _flow, old = file_directly(runtime, category="noise")
        pull_status(runtime, recent.tracking_no, "closed", "已处理")
        pull_status(runtime, old.tracking_no, "closed", "已处理", finished_days_ago=30)
        from kiosk.requests import follow
        from kiosk.residents import Resident

        win = open_window(qtbot, runtime)
        try:
            win.ctx.session.identify(Resident(RESIDENT, "张*明", 1944, None, "C-GX", "T-1"))
            with runtime.database.session() as s:
                views = {v.tracking_no: v for v in follow.my_requests(s, RESIDENT)}
            win.navigate("requests_timeline", view=views[old.tracking_no])
            timeline = wait_screen(qtbot, win, "requests_timeline")
            assert not timeline.reopen_button.isVisible()
            win.navigate("requests_timeline", view=views[recent.tracking_no])
            click(qtbot, win, "requestsTimelineReopen")
            reopen = wait_screen(qtbot, win, "requests_reopen", "default")
            assert not win.findChild(QPushButton, "requestsReopenSend").isEnabled()
            click_text(qtbot, win, "requestsReopenReason_", "问题又出现了")
            click(qtbot, win, "requestsReopenSend")
            wait_screen(qtbot, win, "requests_reopen", "done")
            assert [p["reason"] for p in outbox_payloads(runtime, RecordKind.REQUEST_REOPEN.value)] == ["问题又出现了"]
            win.navigate("requests_reopen", view=views[old.tracking_no])  # e.g. an old screen left open
            click_text(qtbot, win, "requestsReopenReason_", "问题又出现了")
            click(qtbot, win, "requestsReopenSend")
            wait_screen(qtbot, win, "requests_reopen", "refused")
            assert "7" in reopen.hint.text()  # the window's days, in words
        finally:
            close_window(win)


def test_my_requests_ask_for_the_card_first(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, {}) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("requests_mine")
            identify = wait_screen(qtbot, win, "identify")
            assert identify.next_screen == "requests_mine" and not identify.allow_guest
        finally:
            close_window(win)


def test_a_scanned_code_that_is_not_a_receipt_or_a_kiosk_without_server_is_explained(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, {}) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("requests")
            click(qtbot, win, "requestsChoice_check")
            check = wait_screen(qtbot, win, "requests_check", "default")
            check.submit_payload("KIOSK-DEMO-MEAL-TICKET-0001")
            assert check.state == "invalid" and "不是报事回执" in check.status.text()
            _flow, filed = file_directly(runtime)
            check.submit_payload(filed.receipt_payload)
            wait_screen(qtbot, win, "requests_check", "offline")
            assert "连不上" in check.status.text()
        finally:
            close_window(win)


def test_the_end_of_a_session_forgets_the_report_being_filed(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, SIM_DEVICES) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category, flow.draft.text = "repair", "三楼的灯坏了"
            win.navigate("requests_confirm", flow=flow)
            confirm = wait_screen(qtbot, win, "requests_confirm")
            assert "三楼的灯坏了" in confirm.summary.text()
            win.end_session()
            assert win.screens.current.name == "home"
            assert confirm.flow is None or confirm.flow.sample  # only built-in sample data is left
            assert "三楼的灯坏了" not in confirm.summary.text()
        finally:
            close_window(win)


def test_every_requests_screen_state_renders_in_english_without_a_database(qtbot):
    from kiosk.config import load
    from ui.audit import audit_view
    from ui.screen_walk import offscreen_window, walk

    with offscreen_window(load(None), "en", 1.0) as window:
        findings = [f for shot in walk(window, ("requests",)) for f in audit_view(window, shot, "en", 1.0)]
        shots = {(s.screen, s.state) for s in walk(window, ("requests",))}
    assert findings == []
    assert len(shots) >= 45 and ("requests_receipt", "print_failed") in shots
