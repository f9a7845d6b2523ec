"""Printing the health receipt: exact content on the simulated printer; paper problems fall back to a QR."""

from __future__ import annotations

import zxingcpp
from PySide6.QtGui import QImage

from kiosk.health import store
from kiosk.i18n import _
from kiosk.residents import Resident
from support.health_ui_world import click, close_window, measure_current, open_window, sim_devices, wait_screen
from support.kiosk_world import kiosk_runtime
from ui.health_device import translated

RESIDENT = Resident("R-000042", "王*国", 1950)


def _measure_bp_as(qtbot, win, resident=None) -> object:
    if resident is None:
        win.navigate("health_choose", guest=True)
    else:
        win.ctx.session.identify(resident)
        win.navigate("health_consent", identified=True)
    wait_screen(qtbot, win, "health_choose")
    click(qtbot, win, "healthTile_bp")
    measure_current(qtbot, win)
    return wait_screen(qtbot, win, "health_results")


def _decode(label) -> str:
    image = label.pixmap().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    import numpy as np

    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    (found,) = zxingcpp.read_barcodes(pixels[:, : image.width()])
    return found.text


def test_the_receipt_carries_the_masked_name_values_and_category_on_paper(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high")) as runtime:
        runtime.database.write(lambda s: store.record_consent(s, RESIDENT.resident_id, True))
        win = open_window(qtbot, runtime)
        try:
            results = _measure_bp_as(qtbot, win, RESIDENT)
            qtbot.waitUntil(lambda: results.save_state == "saved", timeout=10_000)
            printer = runtime.devices.get("printer")
            click(qtbot, win, "healthResultsPrint")
            qtbot.waitUntil(lambda: results.action == "printed", timeout=20_000)
            out = printer.transport.output
            assert "王*国".encode("gb18030") in out
            assert b"165/102" in out
            assert _(results.assessments["bp"][0].label).encode("gb18030") in out
            assert results.kept.text() == _("Please take your receipt.")
            assert _("Please take your receipt.") in win.ctx.voice.last_prompt.text
        finally:
            close_window(win)


def test_paper_out_is_said_in_words_and_the_results_are_offered_as_a_qr_on_screen(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high", printer={"fault": "paper_out"})) as runtime:
        win = open_window(qtbot, runtime)
        try:
            results = _measure_bp_as(qtbot, win)
            click(qtbot, win, "healthResultsPrint")
            qtbot.waitUntil(lambda: results.action == "print_failed", timeout=20_000)
            assert results.panel.isVisible() and not results.rows[0].isVisible()
            assert translated("printer.paper_out") in results.panel_text.text()
            assert runtime.devices.get("printer").transport.output == b""  # refused before any byte
            payload = _decode(results.qr)
            assert payload.isascii() and "BP 165/102 mmHg" in payload  # a guest's values, no name
            click(qtbot, win, "healthResultsShowAgain")
            assert results.rows[0].isVisible() and not results.panel.isVisible()
        finally:
            close_window(win)


def test_a_kiosk_without_a_printer_says_so_and_shows_the_record_link_as_a_qr(qtbot, tmp_path):
    devices = sim_devices(bp="high")
    del devices["printer"]
    with kiosk_runtime(tmp_path, devices) as runtime:
        runtime.config.server.url = "https://health.example.invalid"
        runtime.database.write(lambda s: store.record_consent(s, RESIDENT.resident_id, True))
        win = open_window(qtbot, runtime)
        try:
            results = _measure_bp_as(qtbot, win, RESIDENT)
            qtbot.waitUntil(lambda: results.save_state == "saved", timeout=10_000)
            click(qtbot, win, "healthResultsPrint")
            assert results.action == "print_failed"
            assert _("This device is not set up at this kiosk.") in results.panel_text.text()
            assert _decode(results.qr) == f"https://health.example.invalid/h/{results.saved.check_id}"
        finally:
            close_window(win)
