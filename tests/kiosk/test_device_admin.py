"""Technician device commands on simulated twins: list, test, probe, demo configuration."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from devices import registry
from devices.base import RecordingPromptHandler
from devices.printer.test_page import test_page as printer_test_page
from devices.vitals.base import OPENING_PROMPTS, PROGRESS_CUFF_PRESSURE
from devices.vitals.readings import BloodPressureReading
from kiosk import device_admin, device_probe
from kiosk.config import parse
from kiosk.device_format import format_outcome, format_probe, format_rows
from kiosk.i18n import set_language

FAST = 0.01


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("zh_CN")


def config_with(devices: dict, voice_enabled: bool = False):
    return parse({"devices": devices, "voice": {"enabled": voice_enabled}})


def run_test(devices: dict, role: str, **kw):
    handler = RecordingPromptHandler()
    outcome = device_admin.test_device(config_with(devices), role, handler=handler, **kw)
    return outcome, handler


# ---- list ------------------------------------------------------------------------------------------


def test_list_shows_every_demo_sim_as_usable_and_simulated() -> None:
    rows = device_admin.list_devices(config_with(device_admin.demo_devices()))
    by_role = {row.role: row for row in rows}
    assert set(by_role) == {"bp", "spo2", "thermometer", "scale", "glucose", "scanner", "printer",
                            "camera", "microphone", "speech"}
    for role in device_admin.demo_devices():
        row = by_role[role]
        assert (row.driver_id, row.known, row.simulated, row.usable) == ("sim", True, True, True)
        assert row.state is None
    assert (by_role["speech"].driver_id, by_role["speech"].simulated) == ("null", False)


def test_unknown_driver_id_is_a_clear_row_not_an_exception() -> None:
    rows = device_admin.list_devices(config_with({"bp": {"driver": "omron-magic"}}))
    row = rows[0]
    assert (row.role, row.driver_id, row.known, row.usable) == ("bp", "omron-magic", False, False)
    assert row.problem_key == "device_admin.unknown_driver"
    assert "sim" in row.problem_params["known"].split(", ")
    line = format_rows(rows)[0]
    assert "omron-magic" in line and "There is no bp driver called omron-magic" in line


def test_unknown_role_is_a_clear_row() -> None:
    row = device_admin.list_devices(config_with({"toaster": {"driver": "sim"}}))[0]
    assert (row.role, row.usable, row.problem_key) == ("toaster", False, "device_admin.unknown_role")


def test_list_with_connect_reports_the_state_each_device_reached() -> None:
    devices = {"bp": {"driver": "sim"}, "scanner": {"driver": "sim"},
               "printer": {"driver": "sim", "fault": "paper_out"}}
    rows = {r.role: r for r in device_admin.list_devices(config_with(devices), connect=True)}
    assert rows["bp"].state == "ready" and rows["scanner"].state == "ready"
    assert (rows["printer"].state, rows["printer"].state_key) == ("error", "printer.paper_out")
    assert (rows["speech"].state, rows["speech"].state_key) == ("disconnected", "speech.disabled")
    assert any("paper" in line.lower() for line in format_rows(list(rows.values())))


def test_list_with_connect_reports_bad_options_instead_of_raising() -> None:
    rows = device_admin.list_devices(config_with({"bp": {"driver": "sim", "colour": "red"}}),
                                     connect=True)
    assert (rows[0].state, rows[0].state_key) == ("error", "device_admin.bad_options")
    assert "colour" in rows[0].detail


# ---- test one role ---------------------------------------------------------------------------------


def test_bp_on_the_sim_returns_a_plausible_reading_and_shows_cuff_progress() -> None:
    outcome, handler = run_test({"bp": {"driver": "sim", "time_scale": FAST}}, "bp")
    assert outcome.ok and outcome.error_key == ""
    reading = outcome.reading
    assert isinstance(reading, BloodPressureReading)
    assert 50 <= reading.diastolic_mmhg < reading.systolic_mmhg <= 280
    assert handler.keys("prompt") == list(OPENING_PROMPTS["bp"])
    assert handler.keys("progress").count(PROGRESS_CUFF_PRESSURE) > 10
    assert "systolic_mmhg=" in format_outcome(outcome)[0]


def test_vitals_failure_comes_back_as_its_key() -> None:
    outcome, _ = run_test({"bp": {"driver": "sim", "time_scale": FAST,
                                  "scenario": "cuff_error"}}, "bp")
    assert (outcome.ok, outcome.reading, outcome.error_key) == (False, None,
                                                                "vitals.error.cuff_too_loose")
    assert format_outcome(outcome)[0].startswith("Failed: ")


def test_printer_test_on_the_sim_sends_the_whole_test_page() -> None:
    outcome, _ = run_test({"printer": {"driver": "sim", "paper_mm": 58}}, "printer")
    reference = registry.create("printer", "dummy", paper_mm=58)
    try:
        expected = len(reference.render(printer_test_page(58)))
    finally:
        reference.close()
    assert outcome.ok and outcome.print_result.bytes_sent == expected > 0
    assert outcome.print_result.status_after.value == "ok"


def test_printer_out_of_paper_returns_the_paper_out_key() -> None:
    outcome, _ = run_test({"printer": {"driver": "sim", "fault": "paper_out"}}, "printer")
    assert (outcome.ok, outcome.print_result, outcome.error_key) == (False, None,
                                                                     "printer.paper_out")


def test_scanner_test_on_the_sim_returns_the_played_payload() -> None:
    outcome, _ = run_test({"scanner": {"driver": "sim", "payloads": ["TECH-TEST-42"],
                                       "start_delay_s": 0.05}}, "scanner", seconds=10)
    assert outcome.ok and outcome.scans == ("TECH-TEST-42",)
    assert format_outcome(outcome) == ["Read: TECH-TEST-42"]


def test_scanner_that_reads_nothing_says_so_after_the_time() -> None:
    outcome, _ = run_test({"scanner": {"driver": "sim"}}, "scanner", seconds=0.2)
    assert (outcome.ok, outcome.error_key) == (False, "device_admin.scanner_nothing_read")


def test_speech_switched_off_reports_disabled() -> None:
    outcome, _ = run_test({}, "speech")
    assert (outcome.ok, outcome.driver_id, outcome.error_key) == (False, "null", "speech.disabled")


def test_speech_that_never_finishes_is_reported_with_the_sentence() -> None:
    outcome, _ = run_test({"speech": {"driver": "fake"}}, "speech", seconds=0.2)
    assert outcome.error_key == "device_admin.speech_not_finished"
    assert outcome.spoken.startswith("This is a speech test")


def test_unconfigured_and_unknown_roles_come_back_as_keys() -> None:
    assert run_test({}, "printer")[0].error_key == "device_admin.role_not_configured"
    assert run_test({}, "toaster")[0].error_key == "device_admin.unknown_role"
    assert run_test({"scale": {"driver": "x"}}, "scale")[0].error_key == \
        "device_admin.unknown_driver"


# ---- demo devices ----------------------------------------------------------------------------------


def test_demo_devices_cover_every_role_but_speech_with_the_sim_in_real_time() -> None:
    demo = device_admin.demo_devices()
    assert set(demo) == set(registry.ROLES) - {"speech"}
    assert all(raw["driver"] == "sim" for raw in demo.values())
    assert demo["printer"]["paper_mm"] == 58 and len(demo["scanner"]["payloads"]) >= 2
    assert {demo[r]["time_scale"] for r in ("bp", "spo2", "thermometer", "scale", "glucose")} == {1.0}
    demo["bp"]["driver"] = "changed"
    assert device_admin.demo_devices()["bp"]["driver"] == "sim"


def test_demo_devices_merge_into_a_config_and_every_sim_accepts_its_options() -> None:
    config = device_admin.with_demo_devices(parse({"ui": {"language": "en"}}))
    assert config.ui.language == "en" and config.devices["printer"].options["paper_mm"] == 58
    for role, setting in config.devices.items():
        registry.create(role, setting.driver, **setting.options).close()


# ---- probe -----------------------------------------------------------------------------------------


def test_probe_returns_every_section_with_results_or_a_reason() -> None:
    report = device_admin.probe(timeout_s=8.0)
    assert [s.name for s in report.sections] == list(device_probe.SECTION_NAMES)
    for section in report.sections:
        assert section.looked or section.reason_key.startswith("device_admin.probe.")
    assert len(format_probe(report)) >= len(report.sections) * 2


def test_a_section_that_hangs_is_reported_as_timed_out() -> None:
    release = threading.Event()

    def hangs(timeout_s: float) -> device_probe.ProbeSection:
        release.wait(30.0)
        return device_probe.ProbeSection("stuck", True)

    try:
        report = device_probe.probe(timeout_s=0.2, sections={"stuck": hangs,
                                                             "serial": device_probe.probe_serial})
    finally:
        release.set()
    stuck = report.section("stuck")
    assert (stuck.looked, stuck.reason_key) == (False, "device_admin.probe.timed_out")
    assert report.section("serial").looked


def test_ble_section_without_bleak_says_why(monkeypatch) -> None:
    from devices.vitals import ble

    monkeypatch.setattr(ble, "ble_available", lambda: (False, "bleak missing"))
    section = device_probe.probe_ble(1.0)
    assert (section.looked, section.reason_key, section.detail) == (
        False, "device_admin.probe.no_bleak", "bleak missing")


def test_ble_section_without_an_adapter_says_so(tmp_path: Path, monkeypatch) -> None:
    from devices.vitals import ble

    # bleak present (as with the ble extra) but no adapter: the adapter is what is missing.
    monkeypatch.setattr(ble, "ble_available", lambda: (True, ""))
    section = device_probe.probe_ble(1.0, sys_root=tmp_path)
    assert (section.looked, section.reason_key) == (False, "device_admin.probe.no_bluetooth_adapter")


def test_usb_printers_are_found_by_interface_class_7_in_sysfs(tmp_path: Path) -> None:
    devices = tmp_path / "bus" / "usb" / "devices"

    def device(name: str, vid: str, pid: str, product: str, classes: list[str]) -> None:
        (devices / name).mkdir(parents=True)
        for key, value in (("idVendor", vid), ("idProduct", pid), ("product", product)):
            (devices / name / key).write_text(value + "\n")
        for n, cls in enumerate(classes):
            (devices / f"{name}:1.{n}").mkdir()
            (devices / f"{name}:1.{n}" / "bInterfaceClass").write_text(cls + "\n")

    device("1-1", "0416", "5011", "POS58 Printer", ["07"])
    device("1-2", "046d", "0825", "Webcam", ["0e", "01"])
    device("2-3", "28e9", "0289", "Combo", ["03", "07"])
    section = device_probe.probe_usb_printers(1.0, sys_root=tmp_path, use_pyusb=False)
    assert section.looked
    assert [(i.address, i.usb_id, i.description) for i in section.items] == [
        ("usb 1-1", "0416:5011", "POS58 Printer"), ("usb 2-3", "28e9:0289", "Combo")]


def test_usb_section_without_pyusb_or_sysfs_says_why(tmp_path: Path) -> None:
    section = device_probe.probe_usb_printers(1.0, sys_root=tmp_path, use_pyusb=False)
    assert (section.looked, section.reason_key) == (False, "device_admin.probe.no_usb_access")


def test_cameras_are_listed_from_device_nodes_with_their_names(tmp_path: Path) -> None:
    if not device_probe.sys.platform.startswith("linux"):
        pytest.skip("device nodes are the Linux path")
    nodes = tmp_path / "dev"
    nodes.mkdir()
    for n in (0, 2):
        (nodes / f"video{n}").touch()
        name_dir = tmp_path / "class" / "video4linux" / f"video{n}"
        name_dir.mkdir(parents=True)
        (name_dir / "name").write_text(f"USB Camera {n}\n")
    section = device_probe.probe_cameras(1.0, sys_root=tmp_path, dev_glob=str(nodes / "video*"))
    assert [(Path(i.address).name, i.description) for i in section.items] == [
        ("video0", "USB Camera 0"), ("video2", "USB Camera 2")]


def test_the_demo_gets_a_technician_pin_only_when_the_configuration_has_none():
    from kiosk.config import load
    from kiosk.device_admin import DEMO_TECHNICIAN_PIN, with_demo_technician_pin
    from kiosk.staff.pins import hash_pin, verify_pin

    demo = with_demo_technician_pin(load(None))
    assert verify_pin(DEMO_TECHNICIAN_PIN, demo.technician.pin_hash)
    own = load(None).model_copy(deep=True)
    own.technician.pin_hash = hash_pin("135790")
    assert with_demo_technician_pin(own).technician.pin_hash == own.technician.pin_hash
