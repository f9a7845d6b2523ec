"""Burst collection until silence: the pure state machine and its async driver on a fake client."""

from __future__ import annotations

import asyncio

import pytest

from devices.base import CancelToken
from devices.errors import Cancelled, InvalidMeasurement, ProtocolError
from devices.vitals.ble_burst import BurstCollector, collect_burst
from devices.vitals.ble_dispatch import PROFILES, uuid16_to_128
from devices.vitals.ble_scripted import Drop, Pause, ScriptedBleClient, Send
from devices.vitals.readings import CuffPressure

BP = uuid16_to_128(0x2A35)
CUFF = uuid16_to_128(0x2A36)
WEIGHT = uuid16_to_128(0x2A9D)
BP_120_80 = bytes.fromhex("04 78 00 50 00 5D 00 48 00")


def cuff_frame(mmhg: int) -> bytes:
    return b"\x00" + mmhg.to_bytes(2, "little") + bytes.fromhex("FF 07 FF 07")


def weight_frame(raw_0_005_kg: int) -> bytes:
    return b"\x00" + raw_0_005_kg.to_bytes(2, "little")


def collector(profile: str = "bp", **kw: float) -> BurstCollector:
    args = dict(start_s=1000.0, silence_s=3.0, first_wait_s=60.0, max_duration_s=300.0)
    args.update(kw)
    return BurstCollector(PROFILES[profile], **args)


# ---- the pure state machine, with explicit clock values ------------------------------------


def test_without_any_packet_the_collector_waits_first_wait_then_ends_with_no_data() -> None:
    c = collector()
    assert c.wait_s(1000.0) == 60.0
    assert c.wait_s(1059.0) == 1.0
    assert c.wait_s(1060.0) <= 0
    assert c.finish(1060.0).ended_by == "no_data"


def test_progress_keeps_the_session_open_past_first_wait_until_silence() -> None:
    c = collector()
    assert c.on_data(CUFF, cuff_frame(150), 1059.0) == CuffPressure(150.0)
    assert c.wait_s(1060.0) == pytest.approx(2.0)  # 1059 + 3 s of silence
    c.on_data(CUFF, cuff_frame(90), 1070.0)
    assert c.wait_s(1072.5) == pytest.approx(0.5)
    assert c.result.progress_count == 2 and c.result.readings == []


def test_after_a_result_only_the_silence_window_remains() -> None:
    c = collector()
    c.on_data(BP, BP_120_80, 1005.0)
    assert c.wait_s(1006.0) == pytest.approx(2.0)  # not the 60 s first wait
    assert c.wait_s(1008.0) <= 0
    result = c.finish(1008.0)
    assert result.ended_by == "silence" and result.readings[0].systolic_mmhg == 120.0


def test_max_duration_caps_a_meter_that_never_stops_talking() -> None:
    c = collector(max_duration_s=10.0)
    c.on_data(CUFF, cuff_frame(100), 1009.5)
    assert c.wait_s(1009.5) == pytest.approx(0.5)
    assert c.finish(1010.0).ended_by == "deadline"


def test_one_bad_stored_record_is_kept_as_failure_without_losing_the_others() -> None:
    c = collector("weight")
    c.on_data(WEIGHT, weight_frame(14000), 1001.0)
    c.on_data(WEIGHT, weight_frame(0xFFFF), 1001.1)
    c.on_data(WEIGHT, b"\x02\x10", 1001.2)
    c.on_data(WEIGHT, weight_frame(12000), 1001.3)
    result = c.finish(1005.0)
    assert [r.weight_kg for r in result.readings] == [70.0, 60.0]
    assert [type(e) for e in result.failures] == [InvalidMeasurement, ProtocolError]


def test_garbled_progress_frame_is_skipped() -> None:
    c = collector()
    assert c.on_data(CUFF, b"\x00\x01", 1001.0) is None
    assert c.result.progress_count == 0 and c.result.failures == []


def test_record_access_success_response_ends_the_burst_at_once() -> None:
    c = collector("glucose")
    c.on_data(uuid16_to_128(0x2A52), bytes.fromhex("06 00 01 01"), 1001.0)
    assert c.wait_s(1001.0) == 0.0
    assert c.finish(1001.0).ended_by == "records_done"


# ---- the async driver with a scripted stand-in for BleakClient -----------------------------


async def _connected(client: ScriptedBleClient) -> ScriptedBleClient:
    await client.connect()
    return client


def test_bp_session_streams_cuff_progress_then_returns_the_result_when_the_meter_drops() -> None:
    client = ScriptedBleClient(
        [Send(0x2A36, cuff_frame(p)) for p in (60, 150, 110)] + [Send(0x2A35, BP_120_80), Drop()],
        trigger=0x2A36)
    seen: list[CuffPressure] = []

    async def go():
        await _connected(client)
        return await collect_burst(client, PROFILES["bp"], silence_s=5.0, first_wait_s=5.0,
                                   max_duration_s=20.0, on_progress=seen.append)

    result = asyncio.run(go())
    assert [c.cuff_mmhg for c in seen] == [60.0, 150.0, 110.0]
    assert [(r.systolic_mmhg, r.diastolic_mmhg) for r in result.readings] == [(120.0, 80.0)]
    assert result.ended_by == "disconnected" and result.progress_count == 3


def test_stored_burst_is_collected_until_silence_and_subscriptions_are_released() -> None:
    frames = [weight_frame(r) for r in (14000, 14100, 14200)]
    client = ScriptedBleClient([Send(0x2A9D, f) for f in frames], trigger=0x2A9D)

    async def go():
        await _connected(client)
        return await collect_burst(client, PROFILES["weight"], silence_s=0.05, first_wait_s=5.0,
                                   max_duration_s=20.0)

    result = asyncio.run(go())
    assert [r.weight_kg for r in result.readings] == [70.0, 70.5, 71.0]
    assert result.ended_by == "silence"
    assert client.stopped == [WEIGHT] and client.subscribed == {}


def test_glucose_asks_for_all_stored_records_and_stops_at_the_racp_response() -> None:
    record = bytes.fromhex("02 05 00 E8 07 03 05 07 08 09 63 B0 11")
    client = ScriptedBleClient(
        [Send(0x2A18, record), Send(0x2A18, record), Send(0x2A52, bytes.fromhex("06 00 01 01")),
         Pause(30.0)],
        trigger=0x2A52, trigger_on_write=True)

    async def go():
        await _connected(client)
        return await collect_burst(client, PROFILES["glucose"], silence_s=30.0,
                                   first_wait_s=30.0, max_duration_s=60.0)

    result = asyncio.run(go())
    assert client.writes == [(uuid16_to_128(0x2A52), b"\x01\x01")]
    assert len(result.readings) == 2 and result.ended_by == "records_done"


def test_meter_without_cuff_progress_characteristic_still_delivers_its_result() -> None:
    client = ScriptedBleClient([Send(0x2A35, BP_120_80), Drop()], trigger=0x2A35,
                               missing=(0x2A36,))

    async def go():
        await _connected(client)
        return await collect_burst(client, PROFILES["bp"], silence_s=5.0, first_wait_s=5.0,
                                   max_duration_s=20.0)

    assert asyncio.run(go()).readings[0].pulse_bpm == 72.0


def test_cancel_token_stops_a_waiting_collection() -> None:
    client = ScriptedBleClient([Pause(30.0)], trigger=0x2A9D)
    token = CancelToken()

    async def go():
        await _connected(client)
        asyncio.get_running_loop().call_later(0.05, token.cancel)
        return await collect_burst(client, PROFILES["weight"], silence_s=30.0,
                                   first_wait_s=30.0, max_duration_s=60.0, cancel=token)

    with pytest.raises(Cancelled):
        asyncio.run(go())
    assert client.stopped == [WEIGHT]
