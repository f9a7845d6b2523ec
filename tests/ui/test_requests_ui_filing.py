"""Filing a report through the requests screens on a real kiosk database and device twins, driven by
objectName like a resident: place, phrases, photo, voice note, pinyin words, receipt or its QR."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from ui.widgets.virtual_keyboard import enable_input_method

enable_input_method()  # before pytest-qt creates the QApplication: the real on-screen keyboard

from kiosk.protocol import RecordKind  # noqa: E402
from requests_ui_helpers import (  # noqa: E402
    RESIDENT, SIM_DEVICES, close_window, open_window, click, click_text, decode_qr, identified, outbox_payloads,
    store_place_map, wait_screen,
)
from support.kiosk_world import kiosk_runtime, new_issuer  # noqa: E402
from ui.app import application  # noqa: E402
from ui.widgets.requests_flow import load_flow  # noqa: E402


# -- filing --------------------------------------------------------------------------------------------
def test_a_resident_files_a_report_with_place_phrases_photo_and_voice_and_the_receipt_prints(qtbot, tmp_path):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path, SIM_DEVICES) as runtime:
        card = identified(runtime, issuer)
        store_place_map(runtime.database)
        win = open_window(qtbot, runtime)
        try:
            win.navigate("requests")
            click(qtbot, win, "requestsChoice_new")
            identify = wait_screen(qtbot, win, "identify")
            assert identify.guest_button.isVisible()  # guests may file too
            identify.submit_payload(card)
            wait_screen(qtbot, win, "requests_category", "default")
            click_text(qtbot, win, "requestsCategory_", "安全隐患")
            place = wait_screen(qtbot, win, "requests_place", "default")
            assert "葛巷社区" in place.chosen.text()  # one community: the kiosk starts inside it
            click(qtbot, win, "requestsPlaceChoice_next")
            click(qtbot, win, "requestsPlaceChoice_next")
            assert place.pager.page_label.text() == "第 3 页，共 3 页"
            click_text(qtbot, win, "requestsPlaceChoice_", "14幢")  # a building on the last page
            assert "14幢" in place.chosen.text()
            click(qtbot, win, "requestsPlaceUp")
            click_text(qtbot, win, "requestsPlaceChoice_", "3幢")
            click_text(qtbot, win, "requestsPlaceChoice_", "2单元")
            click_text(qtbot, win, "requestsPlaceChoice_", "301")
            details = wait_screen(qtbot, win, "requests_details")
            assert details.heading.text() == "安全隐患：葛巷社区 3幢 2单元 301"
            click_text(qtbot, win, "requestsPhrase_", "电线老化")
            click_text(qtbot, win, "requestsPhrase_", "楼道里给电动车充电")
            click(qtbot, win, "requestsUrgency_urgent")

            click(qtbot, win, "requestsDetailsPhoto")
            photo = wait_screen(qtbot, win, "requests_photo", "default")
            qtbot.waitUntil(lambda: photo.view.pixmap() is not None and not photo.view.pixmap().isNull(), timeout=10_000)
            click(qtbot, win, "requestsPhotoTake")
            wait_screen(qtbot, win, "requests_photo", "taken")
            click(qtbot, win, "requestsPhotoUse")
            wait_screen(qtbot, win, "requests_details")
            assert details.photo_button.text_label.text() == "已加照片，点此修改"

            click(qtbot, win, "requestsDetailsVoice")
            voice = wait_screen(qtbot, win, "requests_voice", "default")
            click(qtbot, win, "requestsVoiceStart")
            qtbot.waitUntil(lambda: voice.elapsed_s >= 1.0, timeout=10_000)
            assert voice.countdown.text().startswith("还剩")
            click(qtbot, win, "requestsVoiceStop")
            wait_screen(qtbot, win, "requests_voice", "recorded")
            click(qtbot, win, "requestsVoiceUse")
            wait_screen(qtbot, win, "requests_details")

            click(qtbot, win, "requestsDetailsNext")
            confirm = wait_screen(qtbot, win, "requests_confirm", "default")
            summary = confirm.summary.text()
            for words in ("安全隐患", "3幢 2单元 301", "电线老化", "紧急", "照片", "语音"):
                assert words in summary
            assert confirm.prompt().startswith(summary[:20])  # the whole report is read aloud
            draft = confirm.flow.draft
            click(qtbot, win, "requestsConfirmSend")
            receipt = wait_screen(qtbot, win, "requests_receipt", "printed", timeout=20_000)
            filed = receipt.filed
            assert receipt.number.text() == filed.tracking_no
            assert not receipt.qr.isVisible()
            out = runtime.devices.get("printer").transport.output
            assert filed.tracking_no.encode("ascii") in out and filed.receipt_payload.encode("ascii") in out
            assert "安全隐患".encode("gb18030") in out and b"\x1d\x56" in out  # the words, then the cut

            from kiosk.requests.models import FiledRequest, RequestMedia

            with runtime.database.session() as s:
                row = s.get(FiledRequest, filed.tracking_no)
                assert (row.resident_id, row.category, row.place_code, row.urgency) == (
                    RESIDENT, "safety_hazard", "C-GX-B3-U2-301", "urgent")
                assert row.phrases == ["old_wiring", "ebike_indoor_charging"]
                media = {m.kind: m for m in s.query(RequestMedia).filter_by(tracking_no=filed.tracking_no)}
            assert media["photo"].data == draft.photo_jpeg and media["photo"].data[:3] == b"\xff\xd8\xff"
            assert media["voice"].data == draft.voice_note and media["voice"].mime == "audio/wav"
            assert media["voice"].duration_s == pytest.approx(draft.voice_note_s)
            filed_records = outbox_payloads(runtime, RecordKind.REQUEST_FILE.value)
            assert [r["tracking_no"] for r in filed_records] == [filed.tracking_no]
            assert len(outbox_payloads(runtime, RecordKind.REQUEST_MEDIA.value)) >= 2

            win.go_back()  # Back after filing leads to the menu, never to Send again
            assert win.screens.current.name == "requests"
        finally:
            close_window(win)


def test_a_printer_out_of_paper_shows_the_receipt_qr_on_screen_and_it_scans_as_the_receipt(qtbot, tmp_path):
    devices = {**SIM_DEVICES, "printer": {"driver": "sim", "paper_mm": 58, "fault": "paper_out"}}
    with kiosk_runtime(tmp_path, devices) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category, flow.draft.phrases = "repair", ["light_out"]
            win.navigate("requests_confirm", flow=flow)
            click(qtbot, win, "requestsConfirmSend")
            receipt = wait_screen(qtbot, win, "requests_receipt", "print_failed", timeout=20_000)
            assert receipt.fault_key == "printer.paper_out"
            assert receipt.qr.isVisible() and "二维码" in receipt.status.text()
            assert decode_qr(receipt.qr) == [receipt.filed.receipt_payload]
            assert receipt.number.text() == receipt.filed.tracking_no  # the number is never lost
        finally:
            close_window(win)


def test_without_a_printer_the_receipt_qr_is_shown_at_once(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, {}) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category = "noise"
            win.navigate("requests_confirm", flow=flow)
            click(qtbot, win, "requestsConfirmSend")
            receipt = wait_screen(qtbot, win, "requests_receipt", "no_printer", timeout=20_000)
            assert decode_qr(receipt.qr) == [receipt.filed.receipt_payload]
        finally:
            close_window(win)


def _quick_items(item, found: list) -> list:
    found.append(item)
    for child in item.childItems():
        _quick_items(child, found)
    return found


def _touch_quick(qtbot, panel, text: str) -> None:
    """Touch the keyboard key or pinyin candidate showing ``text`` (found in the QML scene)."""
    from PySide6.QtTest import QTest

    for item in _quick_items(panel.rootObject(), []):
        if item.property("text") == text and item.isVisible() and item.width() > 0:
            centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
            QTest.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(round(centre.x()), round(centre.y())))
            qtbot.wait(50)
            return
    raise AssertionError(f"nothing shows {text!r} on the keyboard")


def test_typing_pinyin_on_the_on_screen_keyboard_adds_chinese_words_to_the_report(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, {}) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category = "repair"
            win.navigate("requests_details", flow=flow)
            click(qtbot, win, "requestsDetailsText")
            text = wait_screen(qtbot, win, "requests_text", "default")
            assert text.keyboard is not None and text.keyboard.loaded
            qtbot.waitUntil(lambda: text.box.hasFocus(), timeout=5000)
            for key in "deng":
                _touch_quick(qtbot, text.keyboard, key)
            _touch_quick(qtbot, text.keyboard, "灯")  # the pinyin candidate
            qtbot.waitUntil(lambda: text.box.toPlainText() == "灯", timeout=5000)
            assert text.count.text() == "1/200字"
            click(qtbot, win, "requestsTextDone")
            details = wait_screen(qtbot, win, "requests_details")
            assert flow.draft.text == "灯"
            assert details.text_button.text_label.text() == "已写文字，点此修改"
        finally:
            close_window(win)


# -- device problems -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("devices", "message"), [
    ({}, "本机没有摄像头。"),
    ({"camera": {"driver": "sim", "fault": "not_found"}}, "没有找到摄像头。"),
])
def test_a_missing_camera_is_explained_and_the_report_can_go_without_a_photo(qtbot, tmp_path, devices, message):
    with kiosk_runtime(tmp_path, devices) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category = "repair"
            win.navigate("requests_details", flow=flow)
            click(qtbot, win, "requestsDetailsPhoto")
            photo = wait_screen(qtbot, win, "requests_photo", "error")
            assert photo.hint.text().startswith(message) and "没有照片也可以提交" in photo.hint.text()
            click(qtbot, win, "requestsPhotoCancel")
            wait_screen(qtbot, win, "requests_details")
            assert flow.draft.photo_jpeg is None
        finally:
            close_window(win)


def test_the_system_microphone_on_a_machine_without_sound_fails_with_a_clear_message(qtbot, tmp_path):
    from devices.microphone.system import sound_card_availability
    from PySide6.QtMultimedia import QMediaDevices

    with kiosk_runtime(tmp_path, {"microphone": {"driver": "system"}}) as runtime:
        win = open_window(qtbot, runtime)
        try:
            flow = load_flow(runtime.database, None)
            flow.draft.category = "repair"
            win.navigate("requests_voice", flow=flow)
            click(qtbot, win, "requestsVoiceStart")
            voice = win.screens.current
            if sound_card_availability()[0] and QMediaDevices.audioInputs():  # a machine with a microphone
                wait_screen(qtbot, win, "requests_voice", "recording")
                click(qtbot, win, "requestsVoiceStop")
                wait_screen(qtbot, win, "requests_voice", "recorded", timeout=20_000)
            else:
                wait_screen(qtbot, win, "requests_voice", "error")
                assert voice.hint.text().startswith("没有找到麦克风。")
                assert "没有语音也可以提交" in voice.hint.text()
        finally:
            close_window(win)


def test_the_qtmultimedia_recorder_without_an_audio_input_refuses_at_once(qtbot):
    from PySide6.QtMultimedia import QMediaDevices

    from devices.errors import DeviceUnavailable
    from devices.microphone.system import SystemMicrophone
    from devices.state import DeviceState
    from ui.qt_microphone import QtMicrophone

    application()
    owner = SystemMicrophone()
    backend = QtMicrophone(owner)
    future = backend.record_async(5)
    try:
        if QMediaDevices.audioInputs():
            qtbot.waitUntil(lambda: backend.recording, timeout=5000)
            backend.cancel()
        else:
            assert isinstance(future.exception(timeout=1), DeviceUnavailable)
            assert future.exception().key == "microphone.not_found"
            assert owner.state.report.state is DeviceState.ERROR
            assert not backend.recording
    finally:
        backend.close()
        backend.deleteLater()


