"""Technician tools: device tests on the twins, the log viewer, the server settings and network test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

from kiosk.config import load
from kiosk.i18n import set_language
from kiosk.staff.auth import Operator
from support.kiosk_world import kiosk_runtime
from support.live_server import live_server
from support.tech_ui_world import click, config_with_pin, find, kiosk_window, sign_in
from ui.screens import tech_test


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()


DEVICES = {
    "bp": {"driver": "sim", "scenario": "normal", "time_scale": 0.01},
    "scanner": {"driver": "sim", "payloads": ["TECH-SCAN-TEST-9"], "start_delay_s": 0.2},
}


def _run_test(qtbot, win, button: str) -> object:
    screen = win.screens.current
    click(qtbot, win, button)
    assert screen.state == "running" and screen.cancel_button.isVisible()
    qtbot.waitUntil(lambda: screen.state in ("passed", "failed"), timeout=30_000)
    return screen


def test_reading_scan_and_voice_tests_run_on_the_configured_twins(qtbot, tmp_path, pin_config, monkeypatch):
    with kiosk_runtime(tmp_path, DEVICES, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        # The sign-in screen would read the sim scanner's code as a card: sign in behind its back.
        win.tech.sign_in(Operator("technician", "technician"))
        win.navigate("tech_test")
        screen = _run_test(qtbot, win, "techTestReading")
        assert screen.state == "passed", screen.result.text()
        assert "systolic_mmhg=" in screen.result.text()

        screen = _run_test(qtbot, win, "techTestScan")
        assert screen.state == "passed" and "TECH-SCAN-TEST-9" in screen.result.text()

        monkeypatch.setattr(tech_test, "SPEECH_SECONDS", 0.5)
        click(qtbot, win, "techTestEngine_fake")
        click(qtbot, win, "techTestRate_110")
        screen = _run_test(qtbot, win, "techTestVoice")
        # The sim twin keeps "speaking" until told it finished: the test says what it said and that it did not end.
        assert screen.state == "failed" and "Said: " in screen.result.text(), screen.result.text()
        role = tech_test.speech_config(runtime.config, screen.engine, "fake/en-us", screen.rate_wpm).devices["speech"]
        assert (role.driver, role.options["rate_wpm"], role.options["voices"]) == ("fake", 110, {"en": "fake/en-us"})

        click(qtbot, win, "techTestRole_glucose")  # not configured: the test says so in words
        screen = _run_test(qtbot, win, "techTestReading")
        assert screen.state == "failed" and screen.result.text()
        assert "device_admin." not in screen.result.text()


def test_the_log_viewer_shows_the_newest_lines_last_with_phone_numbers_masked(qtbot, tmp_path, pin_config):
    log_dir = Path(os.environ["KIOSK_LOG_DIR"])
    log_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"2025-05-12 09:{i // 60:02d}:{i % 60:02d},000 INFO    kiosk.sync [sync] line {i}" for i in range(400)]
    lines.append("2025-05-12 10:00:00,000 INFO    kiosk.requests [kiosk-io] call back 13812345678")
    (log_dir / "kiosk.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (log_dir / "wire.log").write_text("2025-05-12 09:20:44,990 DEBUG devices.wire.printer > 10 04 04\n",
                                      encoding="utf-8")
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_logs")
        screen = win.screens.current
        qtbot.waitUntil(lambda: bool(screen.lines), timeout=5000)
        shown = screen.view.toPlainText().splitlines()
        assert len(shown) == 300 and shown[-1].endswith("call back 1xx****xxxx")
        assert "13812345678" not in screen.view.toPlainText()
        assert shown[-2].endswith("line 399") and "line 50 " not in screen.view.toPlainText() + " "
        click(qtbot, win, "techLogs_wire")
        qtbot.waitUntil(lambda: screen.state == "wire", timeout=5000)
        assert screen.view.toPlainText().endswith("> 10 04 04")
        (log_dir / "wire.log").unlink()
        click(qtbot, win, "techLogsRefresh")
        qtbot.waitUntil(lambda: screen.state == "empty", timeout=5000)
        assert screen.where.text() == "No log has been written here yet."


def test_the_network_test_reaches_a_real_server_and_the_address_is_saved_to_the_config_file(
        qtbot, tmp_path, pin_config, monkeypatch):
    config_file = tmp_path / "kiosk.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(config_file))
    with live_server(f"sqlite:///{tmp_path / 'server.db'}") as server, \
            kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_server")
        screen = win.screens.current
        url = find(win, QLineEdit, "techServerUrl")

        url.setText("http://127.0.0.1:9")  # nothing listens there
        click(qtbot, win, "techServerTest")
        qtbot.waitUntil(lambda: screen.state in ("passed", "failed"), timeout=60_000)
        assert screen.state == "failed"
        unreachable = screen.result.text()

        url.setText(server.base_url)
        click(qtbot, win, "techServerTest")
        qtbot.waitUntil(lambda: screen.state in ("passed", "failed") and screen.result.text() != unreachable,
                        timeout=60_000)
        answer = screen.result.text().replace("\u200b", "")
        assert "answers" in answer and "not enrolled" in answer  # reached; enrollment is the next step

        find(win, QLineEdit, "techServerCode").setText("ENROL-1234")
        click(qtbot, win, "techServerSave")
        qtbot.waitUntil(lambda: screen.state in ("saved", "not_saved"), timeout=10_000)
        assert screen.state == "saved" and screen.restart_button.isVisible()
        saved = load(config_file)
        assert (saved.server.url, saved.server.enrollment_code) == (server.base_url, "ENROL-1234")
        assert saved.technician.pin_hash == pin_config.technician.pin_hash
