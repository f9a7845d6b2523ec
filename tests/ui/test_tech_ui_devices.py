"""A technician moves the printer from its sim twin to a file transport, and prints a test page."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QLineEdit

from kiosk.config import load
from kiosk.config_writer import validate_and_write
from kiosk.i18n import set_language
from support.kiosk_world import kiosk_runtime
from support.tech_ui_world import click, config_with_pin, find, kiosk_window, sign_in


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()


@pytest.fixture
def config_file(tmp_path, monkeypatch, pin_config):
    """The kiosk's config file on disk (KIOSK_CONFIG), with the printer on its sim twin."""
    path = tmp_path / "etc" / "kiosk.toml"
    path.parent.mkdir()
    config = pin_config.model_copy(deep=True)
    config.ui.language = "en"
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    return path, config


def _open_printer(qtbot, win):
    sign_in(qtbot, win)
    win.navigate("tech_devices")
    click(qtbot, win, "techDevicesRole_printer")
    screen = win.screens.current
    assert screen.state == "edit" and screen.role == "printer"
    return screen


def test_switching_the_printer_to_a_file_writes_the_config_atomically_and_a_test_print_lands_in_the_file(
        qtbot, tmp_path, config_file):
    path, config = config_file
    out = tmp_path / "printer-out.bin"
    devices = {"printer": {"driver": "sim", "paper_mm": 58}}
    with kiosk_runtime(tmp_path, devices, config=config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        validate_and_write(path, runtime.config)
        before = path.read_text(encoding="utf-8")
        old_hub = runtime.devices
        old_printer = runtime.devices.get("printer")
        screen = _open_printer(qtbot, win)
        assert "sim" in screen.live.text()
        click(qtbot, win, "techDevicesDriver_file")
        find(win, QLineEdit, "techDevicesOption_path").setText(str(out))
        click(qtbot, win, "techDevicesOption_paper_mm_80")
        click(qtbot, win, "techDevicesSave")
        qtbot.waitUntil(lambda: screen.state in ("saved", "failed"), timeout=15_000)
        assert screen.state == "saved", screen.status.text()
        assert str(path) in screen.status.text().replace("\u200b", "")

        on_disk = load(path)  # valid: it parses and validates
        printer = on_disk.devices["printer"]
        assert (printer.driver, printer.options["path"], printer.options["paper_mm"]) == ("file", str(out), 80)
        assert on_disk.technician.pin_hash == config.technician.pin_hash  # the rest of the file is kept
        assert path.with_name("kiosk.toml.bak").read_text(encoding="utf-8") == before
        assert sorted(os.listdir(path.parent)) == ["kiosk.toml", "kiosk.toml.bak"]  # no temporary file left
        # ... and it took effect: the hub now hands out the file printer (its subscribers kept).
        assert runtime.devices is old_hub and type(runtime.devices.get("printer")).__name__ == "ReceiptPrinter"
        assert runtime.devices.get("printer") is not old_printer
        assert runtime.config.devices["printer"].driver == "file" and win.ctx.config is runtime.config
        assert "file" in screen.live.text()

        win.navigate("tech_test")
        test = win.screens.current
        click(qtbot, win, "techTestPrint")
        qtbot.waitUntil(lambda: test.state in ("passed", "failed"), timeout=20_000)
        assert test.state == "passed", test.result.text()
        data = out.read_bytes()
        assert data.startswith(b"\x1b\x40")  # ESC @ initialise
        assert b"\x1d\x56" in data  # GS V cut
        assert str(len(data)) in test.result.text()  # the outcome reports the bytes sent


def test_a_value_the_driver_cannot_take_is_refused_in_words_and_nothing_is_written(qtbot, tmp_path, config_file):
    path, config = config_file
    with kiosk_runtime(tmp_path, {"printer": {"driver": "sim"}}, config=config) as runtime, \
            kiosk_window(qtbot, runtime) as win:
        set_language("en")
        validate_and_write(path, runtime.config)
        before = path.read_bytes()
        hub = runtime.devices
        screen = _open_printer(qtbot, win)
        click(qtbot, win, "techDevicesDriver_serial")
        find(win, QLineEdit, "techDevicesOption_baudrate").setText("fast")
        click(qtbot, win, "techDevicesSave")
        assert screen.state == "failed"
        assert "Baud rate" in screen.status.text() and "fast" in screen.status.text()
        find(win, QLineEdit, "techDevicesOption_baudrate").setText("9600")
        click(qtbot, win, "techDevicesDriver_usb")  # needs pyusb and libusb, or the ids
        click(qtbot, win, "techDevicesSave")
        qtbot.waitUntil(lambda: screen.state in ("saved", "failed"), timeout=15_000)
        assert screen.state == "failed" and "Not saved" in screen.status.text()
        assert path.read_bytes() == before and runtime.devices is hub
        assert runtime.config.devices["printer"].driver == "sim"


def test_find_devices_looks_for_real_and_a_found_meter_fills_the_bluetooth_address(qtbot, tmp_path, config_file):
    from kiosk.device_probe import ProbeItem, ProbeSection

    _path, config = config_file
    with kiosk_runtime(tmp_path, {"bp": {"driver": "sim"}}, config=config) as runtime, \
            kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_devices")
        click(qtbot, win, "techDevicesRole_bp")
        click(qtbot, win, "techDevicesDriver_ble")
        screen = win.screens.current
        click(qtbot, win, "techDevicesFind")  # a real BLE scan: bleak and an adapter, or why not
        assert screen.state == "finding"
        qtbot.waitUntil(lambda: screen.state in ("found", "failed"), timeout=20_000)
        assert screen.status.text() and "device_admin." not in screen.status.text()
        if screen.state == "failed":
            assert screen.status.text().startswith("Cannot look for devices: ")
        # What a scan that found one meter shows, and touching it:
        screen._found("address", ProbeSection("ble", True, (ProbeItem("A4:C1:38:12:34:56", "BP7000"),)))
        assert screen.state == "found" and "1 found" in screen.status.text()
        click(qtbot, win, "techDevicesFound_0")
        assert find(win, QLineEdit, "techDevicesOption_address").text() == "A4:C1:38:12:34:56"


def test_the_device_list_shows_each_role_with_its_driver_and_live_state(qtbot, tmp_path, config_file):
    _path, config = config_file
    devices = {"printer": {"driver": "sim", "fault": "paper_out"}, "scanner": {"driver": "sim"}}
    with kiosk_runtime(tmp_path, devices, config=config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_devices")
        screen = win.screens.current
        printer = screen.role_buttons["printer"].text()
        assert "Receipt printer" in printer and "(sim)" in printer
        assert "Not set up" in screen.role_buttons["bp"].text()
        runtime.devices.get("printer").status()  # the sim answers "paper out": the hub reports ERROR
        qtbot.waitUntil(lambda: "Fault" in screen.role_buttons["printer"].text(), timeout=5000)
