"""DeviceHub: drivers per configured role, created once on first use; unusable roles say why."""

from __future__ import annotations

import threading

from devices.base import NullPromptHandler, CancelToken
from devices.state import DeviceState
from kiosk.device_hub import REASON_CANNOT_CREATE, REASON_NOT_CONFIGURED, DeviceHub
from support.kiosk_world import config_with_devices


def test_a_configured_role_gets_one_driver_created_on_first_use():
    hub = DeviceHub(config_with_devices({"bp": {"driver": "sim", "time_scale": 0.01}}))
    try:
        first = hub.get("bp")
        assert first is not None and first is hub.get("bp")
        assert hub.state("bp").state is DeviceState.DISCONNECTED  # no I/O until used
        assert hub.usable("bp")
    finally:
        hub.close()


def test_an_unconfigured_role_answers_none_with_a_reason():
    hub = DeviceHub(config_with_devices({}))
    assert hub.get("glucose") is None
    report = hub.state("glucose")
    assert (report.state, report.reason_key) == (DeviceState.DISCONNECTED, REASON_NOT_CONFIGURED)
    assert not hub.usable("glucose")


def test_an_unknown_driver_or_bad_option_is_an_error_state_not_an_exception():
    hub = DeviceHub(config_with_devices({"bp": {"driver": "no-such"}, "spo2": {"driver": "sim", "scenario": "nonsense"}}))
    assert hub.get("bp") is None and hub.get("spo2") is None
    assert hub.state("bp").state is DeviceState.ERROR and hub.state("bp").reason_key == REASON_CANNOT_CREATE
    assert hub.state("spo2").state is DeviceState.ERROR


def test_state_changes_reach_subscribers_and_close_releases_the_drivers():
    hub = DeviceHub(config_with_devices({"bp": {"driver": "sim", "time_scale": 0.001}}))
    seen: list[tuple[str, DeviceState]] = []
    done = threading.Event()
    hub.subscribe(lambda role, report: (seen.append((role, report.state)), report.state is DeviceState.READY and done.set()))
    reading = hub.get("bp").measure_async(NullPromptHandler(), CancelToken()).result(timeout=30)
    assert reading.systolic_mmhg > reading.diastolic_mmhg
    assert done.wait(5)
    assert ("bp", DeviceState.BUSY) in seen
    hub.close()
    assert hub.get("bp") is None  # closed hubs hand out nothing


def test_reconfigure_swaps_drivers_but_keeps_subscribers_and_tells_them():
    hub = DeviceHub(config_with_devices({"printer": {"driver": "sim", "paper_mm": 58}}))
    seen: list[tuple[str, DeviceState]] = []
    hub.subscribe(lambda role, report: seen.append((role, report.state)))
    old = hub.get("printer")
    hub.reconfigure(config_with_devices({"printer": {"driver": "sim", "paper_mm": 80}, "bp": {"driver": "sim"}}))
    new = hub.get("printer")
    assert new is not old and new.renderer.paper.columns == 48  # 80 mm paper
    assert {role for role, _ in seen} >= {"printer", "bp"}
    seen.clear()
    hub.get("bp").measure_async(NullPromptHandler(), CancelToken(), timeout_s=0.001).exception(timeout=10)
    assert any(role == "bp" for role, _ in seen)  # the new driver's changes still reach the old subscriber
    hub.close()


def test_preloading_imports_the_configured_driver_modules_but_creates_no_driver(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from support.kiosk_world import config_with_devices\n"
        "from kiosk.device_hub import DeviceHub\n"
        "hub = DeviceHub(config_with_devices({'printer': {'driver': 'dummy'}, 'bp': {'driver': 'no-such'}}))\n"
        "before = 'devices.printer.factories' in sys.modules\n"
        "hub.preload_modules()\n"
        "print(before, 'devices.printer.factories' in sys.modules, hub._drivers == {})\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                         env={**__import__("os").environ, "PYTHONPATH": "tests:."})
    assert out.stdout.split() == ["False", "True", "True"]
