"""The BLE transport: optional bleak, loop thread, backoff, scan filtering, blocking measure."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest

from devices.base import CancelToken, RecordingPromptHandler
from devices.errors import Cancelled, DeviceTimeout, DeviceUnavailable
from devices.vitals import ble
from devices.vitals.ble import (
    BleHealthTransport,
    backoff_delays,
    connect_with_backoff,
    cuff_progress,
    found_devices,
)
from devices.vitals.ble_loop import BleLoop
from devices.vitals.ble_scripted import Drop, Pause, ScriptedBleClient, Send
from devices.vitals.readings import CuffPressure

BP_120_80 = bytes.fromhex("04 78 00 50 00 5D 00 48 00")
REPO = __file__.rsplit("/tests/", 1)[0]


def test_module_imports_and_reports_a_reason_when_bleak_is_missing() -> None:
    code = ("import sys; sys.modules['bleak'] = None\n"
            "from devices.vitals import ble\n"
            "ok, why = ble.ble_available()\n"
            "print(ok); print(why)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout.splitlines()
    assert out[0] == "False" and "bleak" in out[1]


def test_transport_without_bleak_and_without_stand_ins_is_unavailable(monkeypatch) -> None:
    monkeypatch.setattr(ble, "ble_available", lambda: (False, "no bleak here"))
    with pytest.raises(DeviceUnavailable) as info:
        BleHealthTransport()
    assert info.value.key == "vitals.ble.unavailable"


def test_backoff_doubles_from_base_up_to_the_cap_with_jitter_between_half_and_full() -> None:
    assert backoff_delays(6, 1.0, 8.0, rand=lambda: 0.0) == [0.5, 1.0, 2.0, 4.0, 4.0]
    high = backoff_delays(6, 1.0, 8.0, rand=lambda: 0.999999)
    assert high == pytest.approx([1.0, 2.0, 4.0, 8.0, 8.0], rel=1e-5)
    assert backoff_delays(1, 1.0, 8.0) == []


def test_connect_retries_with_backoff_until_the_meter_answers() -> None:
    clients: list[ScriptedBleClient] = []
    failures = iter([True, True, False])
    slept: list[float] = []

    def make(address: str) -> ScriptedBleClient:
        clients.append(ScriptedBleClient([], trigger=0x2A35, connect_failures=int(next(failures)),
                                         address=address))
        return clients[-1]

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    client = asyncio.run(connect_with_backoff(
        make, "11:22", attempts=4, base_delay_s=1.0, max_delay_s=8.0, pair=True,
        sleep=fake_sleep, rand=lambda: 0.0))
    assert client is clients[2] and client.is_connected and client.paired
    assert slept == [0.5, 1.0]


def test_connect_gives_up_after_the_attempts_with_a_translatable_reason() -> None:
    async def no_sleep(_: float) -> None:
        pass

    with pytest.raises(DeviceUnavailable) as info:
        asyncio.run(connect_with_backoff(
            lambda a: ScriptedBleClient([], trigger=0x2A35, connect_failures=1), "11:22",
            attempts=3, base_delay_s=1.0, max_delay_s=8.0, sleep=no_sleep))
    assert info.value.key == "vitals.ble.connect_failed"


def test_scan_results_keep_health_meters_only_strongest_first() -> None:
    def adv(services, rssi, name=None):
        return SimpleNamespace(service_uuids=services, rssi=rssi, local_name=name)

    discovered = {
        "A": (SimpleNamespace(name="BP"), adv(["00001810-0000-1000-8000-00805f9b34fb"], -70)),
        "B": (SimpleNamespace(name="Band"), adv(["0000180d-0000-1000-8000-00805f9b34fb"], -40)),
        "C": (SimpleNamespace(name=None), adv(["0000181d-0000-1000-8000-00805f9b34fb"], -50,
                                              "Scale")),
    }
    found = found_devices(discovered)
    assert [(d.address, d.name, d.profiles) for d in found] == [
        ("C", "Scale", ("weight",)), ("A", "BP", ("bp",))]


# ---- the loop thread ------------------------------------------------------------------------


@pytest.fixture
def loop():
    ble_loop = BleLoop("test")
    yield ble_loop
    ble_loop.close()
    assert not ble_loop.alive


def test_loop_runs_coroutines_on_its_own_thread(loop: BleLoop) -> None:
    async def where() -> str:
        return threading.current_thread().name

    assert loop.run(where(), timeout_s=5.0) == "ble-loop-test"


def test_loop_times_out_a_hanging_operation_and_cancels_it(loop: BleLoop) -> None:
    cancelled = threading.Event()

    async def hang() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(DeviceTimeout) as info:
        loop.run(hang(), timeout_s=0.1)
    assert info.value.key == "vitals.ble.timeout"
    assert cancelled.wait(5.0)


def test_loop_passes_a_coroutines_own_timeout_error_through(loop: BleLoop) -> None:
    async def fails() -> None:
        raise TimeoutError("device side")

    with pytest.raises(TimeoutError, match="device side"):
        loop.run(fails(), timeout_s=5.0)


def test_loop_stops_waiting_when_the_cancel_token_is_set(loop: BleLoop) -> None:
    token = CancelToken()
    token.cancel()

    async def hang() -> None:
        await asyncio.Event().wait()

    with pytest.raises(Cancelled):
        loop.run(hang(), timeout_s=30.0, cancel=token)


# ---- the blocking facade end to end on scripted meters -------------------------------------


@pytest.fixture
def make_transport():
    made: list[BleHealthTransport] = []

    def build(clients: list[ScriptedBleClient], **kw) -> BleHealthTransport:
        queue = list(clients)

        async def discover(timeout_s: float, uuids: list[str]):
            adv = SimpleNamespace(service_uuids=uuids[:1], rssi=-60, local_name="BP-1")
            return {"AA": (SimpleNamespace(name=None), adv)}

        transport = BleHealthTransport(client_factory=lambda address: queue.pop(0),
                                       discover=discover, backoff_base_s=0.01,
                                       backoff_max_s=0.02, **kw)
        made.append(transport)
        return transport

    yield build
    for transport in made:
        transport.close()
        assert not transport._loop.alive


def test_measure_returns_the_blood_pressure_and_shows_cuff_progress(make_transport) -> None:
    frames = [Send(0x2A36, b"\x00" + bytes([p, 0]) + bytes.fromhex("FF07FF07")) for p in (80, 160)]
    client = ScriptedBleClient(frames + [Send(0x2A35, BP_120_80), Drop()], trigger=0x2A36)
    prompts = RecordingPromptHandler()
    transport = make_transport([client])
    result = transport.measure("AA", "bp", first_wait_s=5.0, silence_s=5.0,
                               max_duration_s=20.0, on_progress=cuff_progress(prompts))
    assert [(r.systolic_mmhg, r.pulse_bpm) for r in result.readings] == [(120.0, 72.0)]
    assert [e[2]["cuff_mmhg"] for e in prompts.events] == [80, 160]
    assert prompts.keys("progress") == ["vitals.progress.cuff_pressure"] * 2
    assert not client.is_connected


def test_measure_reconnects_when_the_meter_drops_before_sending_a_result(make_transport) -> None:
    dropper = ScriptedBleClient([Drop()], trigger=0x2A35)
    sender = ScriptedBleClient([Send(0x2A35, BP_120_80), Drop()], trigger=0x2A35,
                               connect_failures=1)
    spare = ScriptedBleClient([Send(0x2A35, BP_120_80), Drop()], trigger=0x2A35)
    transport = make_transport([dropper, sender, spare])
    result = transport.measure("AA", "bp", first_wait_s=5.0, silence_s=5.0, max_duration_s=20.0)
    assert len(result.readings) == 1
    assert (dropper.connects, sender.connects, spare.connects) == (1, 1, 1)


def test_measure_can_be_cancelled_from_another_thread(make_transport) -> None:
    client = ScriptedBleClient([Pause(60.0)], trigger=0x2A9D)
    transport = make_transport([client])
    token = CancelToken()
    timer = threading.Timer(0.1, token.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            transport.measure("AA", "weight", first_wait_s=60.0, max_duration_s=60.0,
                              cancel=token)
    finally:
        timer.join()


def test_measure_of_an_unknown_profile_is_refused(make_transport) -> None:
    with pytest.raises(DeviceUnavailable):
        make_transport([]).measure("AA", "ecg")


def test_scan_runs_on_the_loop_and_returns_health_meters(make_transport) -> None:
    found = make_transport([]).scan(timeout_s=1.0)
    assert [(d.address, d.name, d.profiles) for d in found] == [("AA", "BP-1", ("bp",))]


def test_cuff_progress_reports_whole_millimetres_and_an_estimated_fraction() -> None:
    prompts = RecordingPromptHandler()
    show = cuff_progress(prompts)
    for mmhg in (142.6, 180.0, 110.0, 60.0):
        show(CuffPressure(mmhg))
    assert prompts.keys() == ["vitals.progress.cuff_pressure"] * 4
    assert [e[2]["cuff_mmhg"] for e in prompts.events] == [143, 180, 110, 60]
    fractions = [e[2]["fraction"] for e in prompts.events]
    assert fractions == pytest.approx([0.3 * 142.6 / 180, 0.3, 0.3 + 0.7 * 70 / 140,
                                       0.3 + 0.7 * 120 / 140], abs=1e-3)
