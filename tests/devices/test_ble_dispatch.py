"""Health-profile UUIDs and the characteristic-to-parser dispatch of the BLE transport."""

from __future__ import annotations

import pytest

from devices.errors import ProtocolError
from devices.vitals import ble_dispatch as bd
from devices.vitals.readings import (
    BloodPressureReading,
    CuffPressure,
    GlucoseReading,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)


def test_16_bit_uuids_expand_with_the_bluetooth_base_uuid() -> None:
    assert bd.uuid16_to_128(0x1810) == "00001810-0000-1000-8000-00805f9b34fb"
    assert bd.normalise_uuid("2A35") == bd.normalise_uuid(0x2A35)
    assert bd.normalise_uuid("00002A35-0000-1000-8000-00805F9B34FB") == bd.uuid16_to_128(0x2A35)
    with pytest.raises(ValueError):
        bd.uuid16_to_128(0x10000)


def test_scan_filter_lists_the_five_health_services() -> None:
    shorts = {int(u[4:8], 16) for u in bd.HEALTH_SERVICE_UUIDS}
    assert shorts == {0x1810, 0x1809, 0x181D, 0x1822, 0x1808}


@pytest.mark.parametrize(
    "char, payload, cls",
    [
        (0x2A35, "04 78 00 50 00 5D 00 48 00", BloodPressureReading),
        (0x2A36, "00 8E 00 FF 07 FF 07", CuffPressure),
        (0x2A1C, "00 6D 01 00 FF", TemperatureReading),
        (0x2A9D, "00 B0 36", WeightReading),
        (0x2A5E, "00 61 00 48 00", SpO2Reading),
        (0x2A5F, "00 61 00 48 00", SpO2Reading),
        (0x2A18, "02 05 00 E8 07 03 05 07 08 09 63 B0 11", GlucoseReading),
    ],
)
def test_dispatch_routes_each_characteristic_to_its_parser(char, payload, cls) -> None:
    reading = bd.dispatch(bd.uuid16_to_128(char), bytes.fromhex(payload))
    assert type(reading) is cls
    if char == 0x2A5F:
        assert reading.continuous


def test_dispatch_of_a_characteristic_without_parser_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        bd.dispatch(0x2A19, b"\x64")  # battery level


def test_advertised_services_map_to_profiles() -> None:
    assert bd.profiles_for_services(["00001810-0000-1000-8000-00805f9b34fb"]) == ["bp"]
    assert bd.profiles_for_services(["1822"]) == ["spo2", "spo2_continuous"]
    assert bd.profiles_for_services(["0000180f-0000-1000-8000-00805f9b34fb"]) == []


SAMPLES = {
    0x2A35: "04 78 00 50 00 5D 00 48 00", 0x2A1C: "00 6D 01 00 FF", 0x2A9D: "00 B0 36",
    0x2A5E: "00 61 00 48 00", 0x2A5F: "00 61 00 48 00",
    0x2A18: "02 05 00 E8 07 03 05 07 08 09 63 B0 11",
}


@pytest.mark.parametrize("name", sorted(bd.PROFILES))
def test_every_profile_kind_matches_the_reading_its_measurement_parses_to(name: str) -> None:
    spec = bd.PROFILES[name]
    reading = bd.dispatch(spec.measurement, bytes.fromhex(SAMPLES[spec.measurement]))
    assert reading.kind == spec.kind


def test_record_access_request_and_response_codes() -> None:
    assert bd.racp_report_all_records() == b"\x01\x01"
    assert bd.parse_racp_response(bytes.fromhex("06 00 01 01")) == (0x01, bd.RACP_SUCCESS)
    assert bd.parse_racp_response(bytes.fromhex("06 00 01 06")) == (0x01, bd.RACP_NO_RECORDS)
    assert bd.parse_racp_response(bytes.fromhex("05 00 03 00")) is None  # number of records
    assert bd.parse_racp_response(b"\x06") is None
