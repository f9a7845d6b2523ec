"""BLE vitals drivers on scripted meters: prompts, cuff progress, latest record, keyed errors."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import datetime
from types import SimpleNamespace

import pytest

from devices import registry
from devices.base import CancelToken, RecordingPromptHandler
from devices.errors import Cancelled, InvalidMeasurement
from devices.state import DeviceState
from devices.vitals import ble, sim_gatt
from devices.vitals.base import (
    OPENING_PROMPTS,
    PROGRESS_CUFF_PRESSURE,
    CuffTooLoose,
    MeasurementDisconnected,
    MeasurementTimeout,
    PortUnavailable,
)
from devices.vitals.ble_drivers import (
    BleBloodPressure,
    BleGlucoseMeter,
    BleOximeter,
    BleScale,
    BleThermometer,
)
from devices.vitals.ble_scripted import Drop, Pause, ScriptedBleClient, Send
from devices.vitals.readings import (
    BloodPressureReading,
    GlucoseReading,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)

REPO = __file__.rsplit("/tests/", 1)[0]
WHEN = datetime(2024, 5, 6, 9, 30, 0)
BP_120_80 = sim_gatt.blood_pressure(120, 80, 93, 72, timestamp=WHEN)
BP_SYSTOLIC_NAN = bytes.fromhex("04 FF 07 50 00 5D 00 48 00")  # SFLOAT NaN: the monitor failed
RACP_DONE = bytes.fromhex("06 00 01 01")  # response to "report stored records": success
BP_SERVICE = "00001810-0000-1000-8000-00805f9b34fb"
HEART_RATE_SERVICE = "0000180d-0000-1000-8000-00805f9b34fb"


class HangingConnectClient(ScriptedBleClient):
    """A meter that never completes the connection (out of range while still advertising)."""

    async def connect(self, **_: object) -> bool:
        self.connects += 1
        await asyncio.Event().wait()
        return True


@pytest.fixture
def make():
    """Build a driver over scripted clients (handed out in order) and close it afterwards."""
    made = []

    def build(cls, clients, *, advertised=(BP_SERVICE,), **options):
        queue = list(clients)
        addresses: list[str] = []

        def client_factory(address: str):
            addresses.append(address)
            return queue.pop(0)

        async def discover(timeout_s: float, uuids: list[str]):
            await asyncio.sleep(min(timeout_s, 0.05))
            adv = SimpleNamespace(service_uuids=list(advertised), rssi=-55, local_name="Meter")
            return {"11:22:33:44:55:66": (SimpleNamespace(name=None), adv)}

        options.setdefault("address", "AA:BB:CC:DD:EE:FF")
        for name, value in (("first_wait_s", 5.0), ("silence_s", 0.2), ("max_duration_s", 10.0),
                            ("backoff_base_s", 0.01), ("backoff_max_s", 0.02)):
            options.setdefault(name, value)
        dev = cls(client_factory=client_factory, discover=discover, **options)
        dev.addresses = addresses
        made.append(dev)
        return dev

    yield build
    for dev in made:
        dev.close()
        assert dev._transport is None


def measure(dev, handler=None, cancel=None, timeout_s: float = 20.0):
    return dev.measure(handler or RecordingPromptHandler(), cancel or CancelToken(), timeout_s)


def cuff_frames(pressures):
    return [Send(0x2A36, sim_gatt.intermediate_cuff_pressure(p)) for p in pressures]


# ---- blood pressure -----------------------------------------------------------------------------


def test_bp_burst_prompts_shows_cuff_progress_then_returns_the_result(make) -> None:
    pressures = [60, 120, 180, 150, 110, 70]
    client = ScriptedBleClient(cuff_frames(pressures) + [Send(0x2A35, BP_120_80), Drop()],
                               trigger=0x2A36)
    dev = make(BleBloodPressure, [client])
    handler = RecordingPromptHandler()
    reading = measure(dev, handler)
    assert isinstance(reading, BloodPressureReading)
    assert (reading.systolic_mmhg, reading.diastolic_mmhg, reading.pulse_bpm) == (120, 80, 72)
    assert handler.keys("prompt") == list(OPENING_PROMPTS["bp"])
    progress = [params for kind, _key, params in handler.events if kind == "progress"]
    assert handler.keys("progress") == [PROGRESS_CUFF_PRESSURE] * len(pressures)
    assert [p["cuff_mmhg"] for p in progress] == pressures
    fractions = [p["fraction"] for p in progress]
    assert fractions == sorted(fractions) and 0 < fractions[0] and fractions[-1] <= 1
    assert fractions[2] == pytest.approx(0.3) and fractions[-1] > 0.8  # peak, then deflated
    assert dev.state.state is DeviceState.READY and not client.is_connected
    assert dev.addresses == ["AA:BB:CC:DD:EE:FF"]


def test_bp_burst_of_stored_records_returns_the_latest(make) -> None:
    older = sim_gatt.blood_pressure(150, 95, 113, 80, timestamp=WHEN.replace(hour=8))
    client = ScriptedBleClient([Send(0x2A35, older), Send(0x2A35, BP_120_80), Drop()],
                               trigger=0x2A35)
    reading = measure(make(BleBloodPressure, [client]))
    assert (reading.systolic_mmhg, reading.timestamp) == (120, WHEN)


def test_bp_status_cuff_too_loose_raises_and_keeps_the_monitor_ready(make) -> None:
    loose = sim_gatt.blood_pressure(120, 80, 93, 72, status_bits=0x02)
    client = ScriptedBleClient([Send(0x2A35, loose), Drop()], trigger=0x2A35)
    dev = make(BleBloodPressure, [client])
    with pytest.raises(CuffTooLoose):
        measure(dev)
    assert dev.state.report.state is DeviceState.READY
    assert dev.state.report.reason_key == "vitals.error.cuff_too_loose"


def test_bp_failed_measurement_special_value_is_an_invalid_measurement(make) -> None:
    client = ScriptedBleClient([Send(0x2A35, BP_SYSTOLIC_NAN), Drop()], trigger=0x2A35)
    dev = make(BleBloodPressure, [client])
    with pytest.raises(InvalidMeasurement) as info:
        measure(dev)
    assert info.value.key == "vitals.measurement_failed"
    assert dev.state.report.state is DeviceState.READY


def test_silent_meter_times_out_with_the_vitals_timeout_key(make) -> None:
    client = ScriptedBleClient([Pause(30.0)], trigger=0x2A35)
    dev = make(BleBloodPressure, [client], first_wait_s=0.3)
    with pytest.raises(MeasurementTimeout) as info:
        measure(dev)
    assert info.value.key == "vitals.error.timeout"
    assert dev.state.report.state is DeviceState.ERROR
    assert not client.is_connected


def test_connection_that_never_completes_ends_at_the_callers_deadline(make) -> None:
    client = HangingConnectClient([], trigger=0x2A35)
    dev = make(BleBloodPressure, [client], first_wait_s=60.0, max_duration_s=60.0)
    with pytest.raises(MeasurementTimeout):
        measure(dev, timeout_s=0.3)
    assert client.connects == 1 and dev.state.state is DeviceState.ERROR


def test_meter_that_drops_the_link_without_a_result_is_disconnected(make) -> None:
    client = ScriptedBleClient([Drop()], trigger=0x2A35)
    dev = make(BleBloodPressure, [client], reconnects=0)
    with pytest.raises(MeasurementDisconnected) as info:
        measure(dev)
    assert info.value.key == "vitals.error.disconnected"
    assert dev.state.report.reason_key == "vitals.error.disconnected"


def test_link_lost_while_subscribing_maps_to_disconnected(make) -> None:
    client = ScriptedBleClient([], trigger=0x2A35, missing=(0x2A35,))
    with pytest.raises(MeasurementDisconnected):
        measure(make(BleBloodPressure, [client]))


def test_meter_that_refuses_every_connection_is_port_unavailable_with_the_ble_advice(make) -> None:
    client = ScriptedBleClient([], trigger=0x2A35, connect_failures=1)
    spare = ScriptedBleClient([], trigger=0x2A35, connect_failures=1)
    dev = make(BleBloodPressure, [client, spare], connect_attempts=2)
    with pytest.raises(PortUnavailable) as info:
        measure(dev)
    assert info.value.key == "vitals.ble.connect_failed"
    assert dev.state.report.reason_key == "vitals.ble.connect_failed"


def test_driver_recovers_on_the_next_measurement_after_a_fault(make) -> None:
    dropper = ScriptedBleClient([Drop()], trigger=0x2A35)
    good = ScriptedBleClient([Send(0x2A35, BP_120_80), Drop()], trigger=0x2A35)
    dev = make(BleBloodPressure, [dropper, good], reconnects=0)
    with pytest.raises(MeasurementDisconnected):
        measure(dev)
    assert measure(dev).systolic_mmhg == 120
    assert dev.state.state is DeviceState.READY


def test_cancel_from_another_thread_stops_the_measurement(make) -> None:
    client = ScriptedBleClient([Pause(60.0)], trigger=0x2A35)
    dev = make(BleBloodPressure, [client], first_wait_s=60.0, max_duration_s=60.0)
    token = CancelToken()
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            measure(dev, cancel=token)
    finally:
        timer.join()
    assert dev.state.state is DeviceState.READY


def test_without_an_address_the_driver_scans_and_uses_the_meter_found(make) -> None:
    client = ScriptedBleClient([Send(0x2A35, BP_120_80), Drop()], trigger=0x2A35)
    dev = make(BleBloodPressure, [client], address="")
    assert measure(dev).systolic_mmhg == 120
    assert dev.addresses == ["11:22:33:44:55:66"]


def test_scan_that_finds_no_meter_of_the_profile_says_so(make) -> None:
    dev = make(BleBloodPressure, [], address="", advertised=(HEART_RATE_SERVICE,),
               scan_timeout_s=0.1)
    with pytest.raises(PortUnavailable) as info:
        measure(dev, timeout_s=0.4)
    assert info.value.key == "vitals.ble.no_meter_found"


# ---- the other profiles -------------------------------------------------------------------------


@pytest.mark.parametrize("cls, char, payload, expected", [
    (BleOximeter, 0x2A5E, sim_gatt.plx_spot_check(97, 70), (SpO2Reading, "spo2_pct", 97)),
    (BleThermometer, 0x2A1C, sim_gatt.temperature(36.6, 2),
     (TemperatureReading, "temperature_c", 36.6)),
    (BleScale, 0x2A9D, sim_gatt.weight(70.0), (WeightReading, "weight_kg", 70.0)),
])
def test_each_profile_returns_its_reading_after_its_opening_prompts(make, cls, char, payload,
                                                                     expected) -> None:
    client = ScriptedBleClient([Send(char, payload), Drop()], trigger=char)
    handler = RecordingPromptHandler()
    reading = measure(make(cls, [client]), handler)
    kind, field, value = expected
    assert isinstance(reading, kind) and getattr(reading, field) == pytest.approx(value)
    role = "thermometer.forehead" if cls is BleThermometer else cls.role
    assert handler.keys("prompt") == list(OPENING_PROMPTS[role])


def test_thermometer_site_armpit_asks_for_the_armpit(make) -> None:
    client = ScriptedBleClient([Send(0x2A1C, sim_gatt.temperature(36.6, 1)), Drop()],
                               trigger=0x2A1C)
    handler = RecordingPromptHandler()
    measure(make(BleThermometer, [client], site="armpit"), handler)
    assert handler.keys("prompt") == list(OPENING_PROMPTS["thermometer.armpit"])


def test_oximeter_record_flagged_invalid_is_not_a_result(make) -> None:
    flagged = bytes.fromhex("02 61 00 48 00 00 80")  # status bit 15: measurement invalid
    client = ScriptedBleClient([Send(0x2A5E, flagged), Drop()], trigger=0x2A5E)
    with pytest.raises(InvalidMeasurement) as info:
        measure(make(BleOximeter, [client]))
    assert info.value.key == "vitals.measurement_failed"


def test_glucose_meter_returns_the_newest_blood_record_not_a_control_solution(make) -> None:
    control = sim_gatt.glucose(3, WHEN, 6.0)[:-1] + bytes([0x4 << 4 | 0xA])
    script = [Send(0x2A18, sim_gatt.glucose(1, WHEN, 7.2)),
              Send(0x2A18, sim_gatt.glucose(2, WHEN, 5.4)), Send(0x2A18, control),
              Send(0x2A52, RACP_DONE)]
    client = ScriptedBleClient(script, trigger=0x2A52, trigger_on_write=True)
    handler = RecordingPromptHandler()
    reading = measure(make(BleGlucoseMeter, [client]), handler)
    assert isinstance(reading, GlucoseReading)
    assert (reading.sequence, reading.glucose_mmol_l) == (2, pytest.approx(5.4))
    assert handler.keys("prompt") == list(OPENING_PROMPTS["glucose"])
    assert client.writes == [("00002a52-0000-1000-8000-00805f9b34fb", b"\x01\x01")]


def test_glucose_meter_without_records_says_there_is_no_result_yet(make) -> None:
    client = ScriptedBleClient([Send(0x2A52, RACP_DONE)], trigger=0x2A52, trigger_on_write=True)
    with pytest.raises(InvalidMeasurement) as info:
        measure(make(BleGlucoseMeter, [client]))
    assert info.value.key == "vitals.ble.no_records"


# ---- registry and optional bleak ----------------------------------------------------------------


@pytest.mark.parametrize("role, cls", [
    ("bp", BleBloodPressure), ("spo2", BleOximeter), ("thermometer", BleThermometer),
    ("scale", BleScale), ("glucose", BleGlucoseMeter),
])
def test_registered_ble_factory_paths_resolve_to_the_drivers(role, cls) -> None:
    info = registry.get(role, "ble")
    assert info.load() is cls and getattr(ble, cls.__name__) is cls
    assert "address" in {o.name for o in info.options}
    assert info.usable() == ble.ble_available()


def test_registry_availability_follows_ble_available(monkeypatch) -> None:
    monkeypatch.setattr(ble, "ble_available", lambda: (False, "no Bluetooth stack here"))
    assert registry.get("bp", "ble").usable() == (False, "no Bluetooth stack here")


def test_drivers_import_without_bleak_and_report_it_unusable() -> None:
    code = (
        "import sys\n"
        "from devices.vitals.ble import BleBloodPressure\n"
        "print('bleak' in sys.modules)\n"
        "sys.modules['bleak'] = None\n"
        "from devices import registry\n"
        "ok, why = registry.get('bp', 'ble').usable()\n"
        "print(ok, 'bleak' in why)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         timeout=60, check=True).stdout.split("\n")
    assert out[:2] == ["False", "False True"]
