"""Diagnostics from technician mode: a zip bundle that holds no resident name or phone number."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from kiosk.i18n import set_language
from support.kiosk_world import add_resident, kiosk_runtime
from support.tech_ui_world import click, config_with_pin, kiosk_window, sign_in

NAME = "张*明"
PHONE = "13812345678"


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()


def test_exporting_a_bundle_writes_a_zip_without_resident_names_or_phone_numbers(qtbot, tmp_path, pin_config):
    log_dir = Path(os.environ["KIOSK_LOG_DIR"])
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "kiosk.log").write_text(
        "2025-05-12 09:14:03,120 INFO    kiosk.runtime [MainThread] runtime started\n"
        f"2025-05-12 09:15:00,000 INFO    kiosk.health [kiosk-io] visit of {NAME}, phone {PHONE}\n",
        encoding="utf-8")
    (log_dir / "wire.log").write_text("2025-05-12 09:20:44,990 DEBUG devices.wire.printer > 10 04 04\n",
                                      encoding="utf-8")
    with kiosk_runtime(tmp_path, {"printer": {"driver": "sim"}}, config=pin_config) as runtime, \
            kiosk_window(qtbot, runtime) as win:
        set_language("en")
        add_resident(runtime, "R-0082", NAME, 1944, family_id="F-1")
        sign_in(qtbot, win)
        win.navigate("tech_diagnostics")
        screen = win.screens.current
        assert screen.targets and screen.target_index == 0  # the kiosk data folder unless a USB drive is chosen
        click(qtbot, win, "techDiagExport")
        qtbot.waitUntil(lambda: screen.state in ("done", "failed"), timeout=30_000)
        assert screen.state == "done", screen.result.text()

        bundle = screen.bundle.path
        assert bundle.is_file() and bundle.parent == screen.targets[0]
        assert str(bundle) in screen.result.text().replace("\u200b", "")  # the screen shows the file
        assert "logs/kiosk.log" in screen.contents.text()
        with zipfile.ZipFile(bundle) as zf:
            names = zf.namelist()
            texts = {name: zf.read(name).decode("utf-8") for name in names}
        assert "logs/kiosk.log" in names and "runtime started" in texts["logs/kiosk.log"]
        for name, text in texts.items():
            assert NAME not in text, f"{name} holds a resident name"
            assert PHONE not in text, f"{name} holds a phone number"
            assert pin_config.technician.pin_hash not in text, f"{name} holds the PIN hash"


def test_a_folder_that_cannot_be_written_fails_in_words(qtbot, tmp_path, pin_config):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_diagnostics")
        screen = win.screens.current
        screen.export(blocked / "bundles")
        qtbot.waitUntil(lambda: screen.state in ("done", "failed"), timeout=30_000)
        assert screen.state == "failed"
        assert screen.result.text().startswith("The bundle was not saved")
