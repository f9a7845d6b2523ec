"""Byte-vector tests for every GATT parser: STANDARDS examples, every optional-field combination."""

from __future__ import annotations

from datetime import datetime

import pytest

from devices.errors import InvalidMeasurement, ProtocolError
from devices.vitals import gatt
from devices.vitals.readings import BloodPressureStatus

# Independent little encoders: the tests build bytes from the specifications, not the parsers.


def sf(mantissa: int, exponent: int = 0) -> bytes:
    return (((exponent & 0xF) << 12) | (mantissa & 0xFFF)).to_bytes(2, "little")


def fl(mantissa: int, exponent: int = 0) -> bytes:
    return (((exponent & 0xFF) << 24) | (mantissa & 0xFFFFFF)).to_bytes(4, "little")


def u8(v: int) -> bytes:
    return bytes([v])


def u16(v: int) -> bytes:
    return v.to_bytes(2, "little")


def s16(v: int) -> bytes:
    return v.to_bytes(2, "little", signed=True)


def u24(v: int) -> bytes:
    return v.to_bytes(3, "little")


def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> bytes:
    return u16(y) + bytes([mo, d, h, mi, s])


WHEN = datetime(2024, 3, 5, 7, 8, 9)
WHEN_BYTES = dt(2024, 3, 5, 7, 8, 9)
NAN_SF = u16(0x07FF)
MMHG_PER_KPA = 7.50062


# ---- STANDARDS.md section 2 synthetic examples -------------------------------------------


def test_blood_pressure_standards_example_is_120_over_80_map_93_pulse_72() -> None:
    r = gatt.parse_blood_pressure(bytes.fromhex("04 78 00 50 00 5D 00 48 00"))
    assert (r.systolic_mmhg, r.diastolic_mmhg, r.mean_arterial_mmhg, r.pulse_bpm) == (
        120.0, 80.0, 93.0, 72.0)
    assert r.timestamp is None and r.user_id is None and r.status is None


def test_temperature_standards_example_is_36_5_celsius() -> None:
    r = gatt.parse_temperature(bytes.fromhex("00 6D 01 00 FF"))
    assert r.temperature_c == 36.5 and r.site is None and r.timestamp is None


def test_weight_standards_example_is_70_kg() -> None:
    r = gatt.parse_weight(bytes.fromhex("00 B0 36"))
    assert r.weight_kg == 70.0 and r.height_m is None and r.bmi is None


# ---- blood pressure 0x2A35 -----------------------------------------------------------------


@pytest.mark.parametrize("flags", range(32))
def test_blood_pressure_decodes_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + sf(1234, -1) + sf(812, -1) + sf(95)
    if flags & 0x02:
        data += WHEN_BYTES
    if flags & 0x04:
        data += sf(68)
    if flags & 0x08:
        data += u8(3)
    if flags & 0x10:
        data += u16(0b101101)
    r = gatt.parse_blood_pressure(data)
    scale = MMHG_PER_KPA if flags & 0x01 else 1.0
    assert r.systolic_mmhg == pytest.approx(123.4 * scale)
    assert r.diastolic_mmhg == pytest.approx(81.2 * scale)
    assert r.mean_arterial_mmhg == pytest.approx(95 * scale)
    assert r.timestamp == (WHEN if flags & 0x02 else None)
    assert r.pulse_bpm == (68.0 if flags & 0x04 else None)
    assert r.user_id == (3 if flags & 0x08 else None)
    expected_status = BloodPressureStatus(
        body_movement=True, cuff_too_loose=False, irregular_pulse=True,
        improper_position=True, pulse_range="above")
    assert r.status == (expected_status if flags & 0x10 else None)


@pytest.mark.parametrize(
    "bits, expected",
    [
        (0x0001, BloodPressureStatus(body_movement=True)),
        (0x0002, BloodPressureStatus(cuff_too_loose=True)),
        (0x0004, BloodPressureStatus(irregular_pulse=True)),
        (0x0008, BloodPressureStatus(pulse_range="above")),
        (0x0010, BloodPressureStatus(pulse_range="below")),
        (0x0018, BloodPressureStatus(pulse_range="reserved")),
        (0x0020, BloodPressureStatus(improper_position=True)),
        (0xFFC0, BloodPressureStatus()),  # reserved bits 6-15 ignored
    ],
)
def test_blood_pressure_status_bits_map_to_named_flags(bits: int, expected) -> None:
    data = u8(0x10) + sf(120) + sf(80) + sf(93) + u16(bits)
    assert gatt.parse_blood_pressure(data).status == expected


def test_blood_pressure_kpa_is_converted_to_mmhg() -> None:
    r = gatt.parse_blood_pressure(u8(0x01) + sf(160, -1) + sf(107, -1) + sf(125, -1))
    assert r.systolic_mmhg == pytest.approx(16.0 * 7.50062)
    assert r.diastolic_mmhg == pytest.approx(10.7 * 7.50062)


@pytest.mark.parametrize("special", [0x07FF, 0x0800, 0x07FE, 0x0802, 0x0801])
@pytest.mark.parametrize("position", ["systolic", "diastolic"])
def test_blood_pressure_special_in_systolic_or_diastolic_fails_the_measurement(
    special: int, position: str
) -> None:
    sys_b, dia_b = (u16(special), sf(80)) if position == "systolic" else (sf(120), u16(special))
    with pytest.raises(InvalidMeasurement):
        gatt.parse_blood_pressure(u8(0) + sys_b + dia_b + sf(93))


@pytest.mark.parametrize("special", [0x07FF, 0x0800, 0x07FE, 0x0802, 0x0801])
def test_blood_pressure_special_map_and_pulse_read_as_not_available(special: int) -> None:
    r = gatt.parse_blood_pressure(u8(0x04) + sf(120) + sf(80) + u16(special) + u16(special))
    assert r.mean_arterial_mmhg is None and r.pulse_bpm is None
    assert r.systolic_mmhg == 120.0


def test_blood_pressure_user_255_means_unknown_user() -> None:
    r = gatt.parse_blood_pressure(u8(0x08) + sf(120) + sf(80) + sf(93) + u8(0xFF))
    assert r.user_id is None


def test_intermediate_cuff_pressure_reads_current_pressure_from_systolic_field() -> None:
    assert gatt.parse_intermediate_cuff_pressure(
        u8(0) + sf(142) + NAN_SF + NAN_SF).cuff_mmhg == 142.0
    kpa = gatt.parse_intermediate_cuff_pressure(u8(0x01) + sf(200, -1) + NAN_SF + NAN_SF)
    assert kpa.cuff_mmhg == pytest.approx(20.0 * 7.50062)


@pytest.mark.parametrize("flags", range(32))
def test_intermediate_cuff_pressure_accepts_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + sf(88) + NAN_SF + NAN_SF
    data += (WHEN_BYTES if flags & 0x02 else b"") + (sf(70) if flags & 0x04 else b"")
    data += (u8(1) if flags & 0x08 else b"") + (u16(0) if flags & 0x10 else b"")
    expected = 88.0 * (MMHG_PER_KPA if flags & 0x01 else 1.0)
    assert gatt.parse_intermediate_cuff_pressure(data).cuff_mmhg == pytest.approx(expected)
    if flags & 0x1E:
        with pytest.raises(ProtocolError):
            gatt.parse_intermediate_cuff_pressure(data[:-1])


# ---- temperature 0x2A1C --------------------------------------------------------------------


@pytest.mark.parametrize("flags", range(8))
def test_temperature_decodes_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + (fl(986, -1) if flags & 0x01 else fl(372, -1))
    data += (WHEN_BYTES if flags & 0x02 else b"") + (u8(3) if flags & 0x04 else b"")
    r = gatt.parse_temperature(data)
    assert r.temperature_c == pytest.approx(37.0 if flags & 0x01 else 37.2)
    assert r.timestamp == (WHEN if flags & 0x02 else None)
    assert r.site == ("ear" if flags & 0x04 else None)


@pytest.mark.parametrize(
    "code, site",
    [(1, "armpit"), (2, "body"), (3, "ear"), (4, "finger"), (5, "gi_tract"), (6, "mouth"),
     (7, "rectum"), (8, "toe"), (9, "tympanum"), (0, None), (10, None), (255, None)],
)
def test_temperature_type_codes_name_the_site_and_reserved_codes_read_as_none(code, site) -> None:
    assert gatt.parse_temperature(u8(0x04) + fl(365, -1) + u8(code)).site == site


def test_temperature_fahrenheit_is_converted_to_celsius() -> None:
    assert gatt.parse_temperature(u8(0x01) + fl(1004, -1)).temperature_c == pytest.approx(38.0)
    assert gatt.parse_temperature(u8(0x01) + fl(32)).temperature_c == pytest.approx(0.0)


@pytest.mark.parametrize("special", [0x007FFFFF, 0x00800000, 0x007FFFFE, 0x00800002, 0x00800001])
def test_temperature_float_special_values_fail_the_measurement(special: int) -> None:
    with pytest.raises(InvalidMeasurement):
        gatt.parse_temperature(u8(0) + special.to_bytes(4, "little"))


# ---- weight 0x2A9D -------------------------------------------------------------------------


@pytest.mark.parametrize("flags", range(16))
def test_weight_decodes_every_optional_field_combination(flags: int) -> None:
    imperial = bool(flags & 0x01)
    data = u8(flags) + u16(15432 if imperial else 14000)
    data += (WHEN_BYTES if flags & 0x02 else b"") + (u8(2) if flags & 0x04 else b"")
    if flags & 0x08:
        data += u16(229) + u16(689 if imperial else 1750)
    r = gatt.parse_weight(data)
    assert r.weight_kg == pytest.approx(154.32 * 0.45359237 if imperial else 70.0)
    assert r.timestamp == (WHEN if flags & 0x02 else None)
    assert r.user_id == (2 if flags & 0x04 else None)
    assert r.bmi == (pytest.approx(22.9) if flags & 0x08 else None)
    expected_height = 68.9 * 0.0254 if imperial else 1.75
    assert r.height_m == (pytest.approx(expected_height) if flags & 0x08 else None)


@pytest.mark.parametrize("flags", [0x00, 0x01, 0x0F])
def test_weight_0xffff_means_measurement_unsuccessful(flags: int) -> None:
    tail = WHEN_BYTES + u8(1) + u16(200) + u16(1700)
    with pytest.raises(InvalidMeasurement) as info:
        gatt.parse_weight(u8(flags) + u16(0xFFFF) + (tail if flags & 0x0E else b""))
    assert info.value.params["special"] == "unsuccessful"


def test_weight_user_255_means_unknown_user() -> None:
    assert gatt.parse_weight(u8(0x04) + u16(14000) + u8(0xFF)).user_id is None


# ---- pulse oximetry 0x2A5E / 0x2A5F --------------------------------------------------------


@pytest.mark.parametrize("flags", range(32))
def test_plx_spot_check_decodes_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + sf(97) + sf(72)
    data += (WHEN_BYTES if flags & 0x01 else b"") + (u16(0x8080) if flags & 0x02 else b"")
    data += (u24(0x010020) if flags & 0x04 else b"") + (sf(35, -1) if flags & 0x08 else b"")
    r = gatt.parse_plx_spot_check(data)
    assert (r.spo2_pct, r.pulse_bpm, r.continuous) == (97.0, 72.0, False)
    assert r.timestamp == (WHEN if flags & 0x01 else None)
    if flags & 0x02:
        assert r.measurement_status.flags == {"validated", "invalid"}
        assert not r.measurement_status.trustworthy
    else:
        assert r.measurement_status is None
    if flags & 0x04:
        assert r.device_status.flags == {"low_perfusion"}  # bit 16 is reserved
    else:
        assert r.device_status is None
    assert r.pulse_amplitude_index == (3.5 if flags & 0x08 else None)
    assert r.device_clock_not_set == bool(flags & 0x10)


@pytest.mark.parametrize("flags", range(32))
def test_plx_continuous_decodes_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + sf(98) + sf(70)
    data += (sf(97) + sf(71) if flags & 0x01 else b"") + (sf(96) + sf(69) if flags & 0x02 else b"")
    data += (u16(0x2000) if flags & 0x04 else b"") + (u24(0x8001) if flags & 0x08 else b"")
    data += sf(12, -1) if flags & 0x10 else b""
    r = gatt.parse_plx_continuous(data)
    assert (r.spo2_pct, r.pulse_bpm, r.continuous, r.timestamp) == (98.0, 70.0, True, None)
    assert (r.spo2_fast_pct, r.pulse_fast_bpm) == ((97.0, 71.0) if flags & 0x01 else (None, None))
    assert (r.spo2_slow_pct, r.pulse_slow_bpm) == ((96.0, 69.0) if flags & 0x02 else (None, None))
    if flags & 0x04:
        assert r.measurement_status.flags == {"unavailable"}
    else:
        assert r.measurement_status is None
    if flags & 0x08:
        assert r.device_status.flags == {"extended_display_update", "sensor_disconnected"}
    else:
        assert r.device_status is None
    assert r.pulse_amplitude_index == (1.2 if flags & 0x10 else None)


@pytest.mark.parametrize("parse", [gatt.parse_plx_spot_check, gatt.parse_plx_continuous])
def test_plx_special_spo2_fails_but_special_pulse_reads_as_none(parse) -> None:
    with pytest.raises(InvalidMeasurement):
        parse(u8(0) + NAN_SF + sf(70))
    assert parse(u8(0) + sf(95) + u16(0x0800)).pulse_bpm is None


def test_plx_continuous_special_fast_and_slow_values_read_as_none() -> None:
    r = gatt.parse_plx_continuous(u8(0x03) + sf(95) + sf(70) + NAN_SF * 2 + u16(0x07FE) * 2)
    assert (r.spo2_fast_pct, r.pulse_fast_bpm, r.spo2_slow_pct, r.pulse_slow_bpm) == (
        None, None, None, None)


# ---- glucose 0x2A18 ------------------------------------------------------------------------


@pytest.mark.parametrize("flags", range(32))
def test_glucose_decodes_every_optional_field_combination(flags: int) -> None:
    data = u8(flags) + u16(7) + WHEN_BYTES + (s16(-15) if flags & 0x01 else b"")
    if flags & 0x02:
        data += (sf(55, -4) if flags & 0x04 else sf(99, -5)) + u8(0x12)
    data += u16(0x0041) if flags & 0x08 else b""
    r = gatt.parse_glucose(data)
    assert (r.sequence, r.timestamp) == (7, WHEN)
    assert r.time_offset_min == (-15 if flags & 0x01 else None)
    if flags & 0x02:
        expected = 5.5 if flags & 0x04 else 99 / 18.016
        assert r.glucose_mmol_l == pytest.approx(expected)
        assert (r.sample_type, r.sample_location) == ("capillary_plasma", "finger")
    else:
        assert (r.glucose_mmol_l, r.sample_type, r.sample_location) == (None, None, None)
    assert r.sensor_status == (0x0041 if flags & 0x08 else None)
    assert r.context_follows == bool(flags & 0x10)


def test_glucose_18_mg_dl_is_about_1_mmol_l_by_molar_mass_180_16() -> None:
    # 18 mg/dL = 18e-5 kg/L = SFLOAT 180 x 10^-6
    r = gatt.parse_glucose(u8(0x02) + u16(1) + WHEN_BYTES + sf(180, -6) + u8(0x11))
    assert r.glucose_mmol_l == pytest.approx(18.0 / 18.016)


def test_glucose_effective_timestamp_adds_the_time_offset() -> None:
    r = gatt.parse_glucose(u8(0x01) + u16(1) + dt(2024, 3, 5, 7, 0, 0) + s16(-30))
    assert r.effective_timestamp == datetime(2024, 3, 5, 6, 30, 0)


@pytest.mark.parametrize(
    "nibbles, sample_type, location",
    [(0x1A, "control_solution", "finger"), (0xF9, "interstitial_fluid", None),
     (0x30, None, "earlobe"), (0x4B, None, "control_solution"), (0x27, "undetermined_whole_blood",
                                                                  "alternate_site")],
)
def test_glucose_type_is_low_nibble_and_location_high_nibble(nibbles, sample_type,
                                                             location) -> None:
    r = gatt.parse_glucose(u8(0x02) + u16(1) + WHEN_BYTES + sf(100, -5) + u8(nibbles))
    assert (r.sample_type, r.sample_location) == (sample_type, location)


def test_glucose_special_concentration_fails_the_measurement() -> None:
    with pytest.raises(InvalidMeasurement):
        gatt.parse_glucose(u8(0x02) + u16(1) + WHEN_BYTES + NAN_SF + u8(0x11))


# ---- date-time and malformed input (all parsers) -------------------------------------------


@pytest.mark.parametrize("stamp", [dt(0, 3, 5), dt(2024, 0, 5), dt(2024, 3, 0), dt(0, 0, 0)])
def test_date_time_with_zero_year_month_or_day_is_unknown(stamp: bytes) -> None:
    r = gatt.parse_blood_pressure(u8(0x02) + sf(120) + sf(80) + sf(93) + stamp)
    assert r.timestamp is None


@pytest.mark.parametrize(
    "stamp",
    [dt(2024, 13, 1), dt(2024, 2, 30), dt(2024, 1, 32), dt(2024, 1, 1, 24),
     dt(2024, 1, 1, 0, 60), dt(2024, 1, 1, 0, 0, 60), dt(1000, 1, 1), dt(65535, 1, 1)],
)
def test_impossible_date_time_is_a_protocol_error(stamp: bytes) -> None:
    with pytest.raises(ProtocolError) as info:
        gatt.parse_temperature(u8(0x02) + fl(365, -1) + stamp)
    assert info.value.key == "vitals.protocol_error"


FULL_PAYLOADS = [
    (gatt.parse_blood_pressure,
     u8(0x1F) + sf(120) + sf(80) + sf(93) + WHEN_BYTES + sf(70) + u8(1) + u16(0)),
    (gatt.parse_intermediate_cuff_pressure,
     u8(0x1E) + sf(120) + NAN_SF + NAN_SF + WHEN_BYTES + sf(70) + u8(1) + u16(0)),
    (gatt.parse_temperature, u8(0x06) + fl(365, -1) + WHEN_BYTES + u8(2)),
    (gatt.parse_weight, u8(0x0E) + u16(14000) + WHEN_BYTES + u8(1) + u16(229) + u16(1750)),
    (gatt.parse_plx_spot_check,
     u8(0x0F) + sf(97) + sf(72) + WHEN_BYTES + u16(0) + u24(0) + sf(10)),
    (gatt.parse_plx_continuous,
     u8(0x1F) + sf(97) + sf(72) + sf(97) * 2 + sf(96) * 2 + u16(0) + u24(0) + sf(10)),
    (gatt.parse_glucose,
     u8(0x0B) + u16(1) + WHEN_BYTES + s16(0) + sf(100, -5) + u8(0x11) + u16(0)),
]


@pytest.mark.parametrize("parse, payload", FULL_PAYLOADS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_truncation_of_a_full_payload_is_a_protocol_error(parse, payload: bytes) -> None:
    parse(payload)  # the whole payload decodes
    for cut in range(len(payload)):
        with pytest.raises(ProtocolError):
            parse(payload[:cut])


@pytest.mark.parametrize("parse, payload", FULL_PAYLOADS, ids=lambda v: getattr(v, "__name__", ""))
def test_parsers_accept_bytearray_and_memoryview_and_ignore_trailing_bytes(parse, payload) -> None:
    expected = parse(payload)
    assert parse(bytearray(payload)) == expected
    assert parse(memoryview(payload)) == expected
    assert parse(payload + b"\x00\xAA") == expected


@pytest.mark.parametrize("parse", [p for p, _ in FULL_PAYLOADS])
@pytest.mark.parametrize("bad", ["04 78 00", 5, None, [4, 120, 0]])
def test_parsers_reject_non_bytes_input_with_protocol_error(parse, bad) -> None:
    with pytest.raises(ProtocolError):
        parse(bad)
