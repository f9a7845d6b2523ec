"""Pure parsers for the Bluetooth SIG health-profile characteristics (BLS, HTS, WSS, PLXS, GLS).

Contract of every ``parse_*``: bytes in, one reading out; truncated or malformed bytes raise
``ProtocolError`` (key ``vitals.protocol_error``), a failed measurement (SFLOAT/FLOAT special
value in the main value, weight 0xFFFF) raises ``InvalidMeasurement`` (key
``vitals.measurement_failed``); no other exception escapes. A special value in an auxiliary
field (mean arterial pressure, pulse, pulse amplitude index, fast/slow SpO2) reads as None: it
is never shown as a number. Reserved flag bits and trailing bytes are ignored, as the GATT
specifications ask of clients for forward compatibility. Plausibility is a separate step
(``readings.validate_plausible``).
"""

from __future__ import annotations

from typing import Callable, TypeVar

from devices.errors import DeviceError, InvalidMeasurement
from devices.vitals import gatt_cursor as _cursor
from devices.vitals.gatt_cursor import Cursor
from devices.vitals.readings import (
    GLUCOSE_SAMPLE_LOCATIONS,
    GLUCOSE_SAMPLE_TYPES,
    PULSE_RANGES,
    TEMPERATURE_SITES,
    BloodPressureReading,
    BloodPressureStatus,
    CuffPressure,
    GlucoseReading,
    PlxDeviceStatus,
    PlxMeasurementStatus,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)

__all__ = [
    "float32", "parse_blood_pressure", "parse_glucose", "parse_intermediate_cuff_pressure",
    "parse_plx_continuous", "parse_plx_spot_check", "parse_temperature", "parse_weight", "sfloat",
]

R = TypeVar("R")

MMHG_PER_KPA = 7.50062
KG_PER_LB = 0.45359237
M_PER_INCH = 0.0254
GLUCOSE_MG_DL_PER_MMOL_L = 18.016  # molar mass of glucose 180.16 g/mol
UNKNOWN_USER_ID = 0xFF  # BLS/WSS: user index 255 means "unknown user"
WEIGHT_UNSUCCESSFUL = 0xFFFF


def sfloat(raw: int) -> float:
    """Decode a 16-bit IEEE 11073 SFLOAT (4-bit exponent, 12-bit mantissa, two's complement).

    Raises InvalidMeasurement for the specials NaN, NRes, +INF, -INF and reserved (a failed
    measurement is never a number) and ProtocolError when ``raw`` is not a 16-bit value.
    """
    return _cursor.decimal_value(*_cursor.sfloat_parts(raw))


def float32(raw: int) -> float:
    """Decode a 32-bit IEEE 11073 FLOAT (8-bit exponent, 24-bit mantissa, two's complement).

    Raises InvalidMeasurement for the special values and ProtocolError out of 32-bit range.
    """
    return _cursor.decimal_value(*_cursor.float_parts(raw))


def _parser(name: str) -> Callable[[Callable[[Cursor], R]], Callable[[bytes], R]]:
    """Give the parser a Cursor and turn any stray decoding error into a ProtocolError."""

    def wrap(body: Callable[[Cursor], R]) -> Callable[[bytes], R]:
        def parse(data: bytes) -> R:
            try:
                return body(Cursor(data, name))
            except DeviceError:
                raise
            except (ValueError, IndexError, OverflowError, TypeError, KeyError) as exc:
                raise _cursor.protocol_error(f"{name}: {type(exc).__name__}: {exc}") from exc

        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(parse, attr, getattr(body, attr))
        parse.__annotations__ = {"data": bytes, "return": body.__annotations__.get("return")}
        return parse

    return wrap


def _user_id(raw: int) -> int | None:
    return None if raw == UNKNOWN_USER_ID else raw


def _bp_status(raw: int) -> BloodPressureStatus:
    return BloodPressureStatus(
        body_movement=bool(raw & 0x01),
        cuff_too_loose=bool(raw & 0x02),
        irregular_pulse=bool(raw & 0x04),
        pulse_range=PULSE_RANGES[raw >> 3 & 0x03],
        improper_position=bool(raw & 0x20),
    )


def _pressure_mmhg(value: float, kpa: bool) -> float:
    return value * MMHG_PER_KPA if kpa else value


@_parser("blood_pressure_0x2a35")
def parse_blood_pressure(cur: Cursor) -> BloodPressureReading:
    """0x2A35 Blood Pressure Measurement -> BloodPressureReading (mmHg)."""
    flags = cur.u8()
    kpa = bool(flags & 0x01)
    systolic = _pressure_mmhg(cur.sfloat(), kpa)
    diastolic = _pressure_mmhg(cur.sfloat(), kpa)
    mean_arterial = cur.sfloat_or_none()
    timestamp = cur.date_time() if flags & 0x02 else None
    pulse = cur.sfloat_or_none() if flags & 0x04 else None
    user_id = _user_id(cur.u8()) if flags & 0x08 else None
    status = _bp_status(cur.u16()) if flags & 0x10 else None
    return BloodPressureReading(
        systolic_mmhg=systolic,
        diastolic_mmhg=diastolic,
        mean_arterial_mmhg=None if mean_arterial is None else _pressure_mmhg(mean_arterial, kpa),
        pulse_bpm=pulse,
        timestamp=timestamp,
        user_id=user_id,
        status=status,
    )


@_parser("intermediate_cuff_pressure_0x2a36")
def parse_intermediate_cuff_pressure(cur: Cursor) -> CuffPressure:
    """0x2A36 Intermediate Cuff Pressure -> CuffPressure; same layout as 0x2A35, the systolic
    field carries the current cuff pressure and diastolic/MAP are unused (NaN)."""
    flags = cur.u8()
    cuff = _pressure_mmhg(cur.sfloat(), bool(flags & 0x01))
    cur.take(4)  # unused diastolic and mean arterial pressure
    # Optional fields are read only to reject a malformed frame; progress needs none of them.
    if flags & 0x02:
        cur.date_time()
    if flags & 0x04:
        cur.u16()
    if flags & 0x08:
        cur.u8()
    if flags & 0x10:
        cur.u16()
    return CuffPressure(cuff_mmhg=cuff)


@_parser("temperature_0x2a1c")
def parse_temperature(cur: Cursor) -> TemperatureReading:
    """0x2A1C Temperature Measurement -> TemperatureReading (degrees Celsius)."""
    flags = cur.u8()
    value = cur.float32()
    temperature_c = (value - 32.0) * 5.0 / 9.0 if flags & 0x01 else value
    timestamp = cur.date_time() if flags & 0x02 else None
    site = None
    if flags & 0x04:
        code = cur.u8()
        site = TEMPERATURE_SITES[code - 1] if 1 <= code <= len(TEMPERATURE_SITES) else None
    return TemperatureReading(temperature_c=temperature_c, timestamp=timestamp, site=site)


@_parser("weight_0x2a9d")
def parse_weight(cur: Cursor) -> WeightReading:
    """0x2A9D Weight Measurement -> WeightReading (kg, m); 0xFFFF weight = unsuccessful."""
    flags = cur.u8()
    imperial = bool(flags & 0x01)
    raw_weight = cur.u16()
    if raw_weight == WEIGHT_UNSUCCESSFUL:
        raise InvalidMeasurement(
            "weight measurement unsuccessful", key=_cursor.MEASUREMENT_FAILED_KEY,
            special="unsuccessful",
        )
    weight_kg = raw_weight / 100 * KG_PER_LB if imperial else raw_weight / 200
    timestamp = cur.date_time() if flags & 0x02 else None
    user_id = _user_id(cur.u8()) if flags & 0x04 else None
    bmi = height_m = None
    if flags & 0x08:
        bmi = cur.u16() / 10
        raw_height = cur.u16()
        height_m = raw_height / 10 * M_PER_INCH if imperial else raw_height / 1000
    return WeightReading(
        weight_kg=weight_kg, height_m=height_m, bmi=bmi, timestamp=timestamp, user_id=user_id
    )


@_parser("plx_spot_check_0x2a5e")
def parse_plx_spot_check(cur: Cursor) -> SpO2Reading:
    """0x2A5E PLX Spot-Check Measurement -> SpO2Reading."""
    flags = cur.u8()
    spo2 = cur.sfloat()
    pulse = cur.sfloat_or_none()
    timestamp = cur.date_time() if flags & 0x01 else None
    measurement = PlxMeasurementStatus(cur.u16()) if flags & 0x02 else None
    device = PlxDeviceStatus(cur.u24()) if flags & 0x04 else None
    pai = cur.sfloat_or_none() if flags & 0x08 else None
    return SpO2Reading(
        spo2_pct=spo2,
        pulse_bpm=pulse,
        timestamp=timestamp,
        measurement_status=measurement,
        device_status=device,
        pulse_amplitude_index=pai,
        device_clock_not_set=bool(flags & 0x10),
    )


@_parser("plx_continuous_0x2a5f")
def parse_plx_continuous(cur: Cursor) -> SpO2Reading:
    """0x2A5F PLX Continuous Measurement -> SpO2Reading (continuous=True, fast/slow optional)."""
    flags = cur.u8()
    spo2 = cur.sfloat()
    pulse = cur.sfloat_or_none()
    fast_spo2 = fast_pulse = slow_spo2 = slow_pulse = None
    if flags & 0x01:
        fast_spo2, fast_pulse = cur.sfloat_or_none(), cur.sfloat_or_none()
    if flags & 0x02:
        slow_spo2, slow_pulse = cur.sfloat_or_none(), cur.sfloat_or_none()
    measurement = PlxMeasurementStatus(cur.u16()) if flags & 0x04 else None
    device = PlxDeviceStatus(cur.u24()) if flags & 0x08 else None
    pai = cur.sfloat_or_none() if flags & 0x10 else None
    return SpO2Reading(
        spo2_pct=spo2,
        pulse_bpm=pulse,
        measurement_status=measurement,
        device_status=device,
        pulse_amplitude_index=pai,
        continuous=True,
        spo2_fast_pct=fast_spo2,
        pulse_fast_bpm=fast_pulse,
        spo2_slow_pct=slow_spo2,
        pulse_slow_bpm=slow_pulse,
    )


@_parser("glucose_0x2a18")
def parse_glucose(cur: Cursor) -> GlucoseReading:
    """0x2A18 Glucose Measurement -> GlucoseReading (mmol/L; kg/L x 10^5 = mg/dL, / 18.016)."""
    flags = cur.u8()
    sequence = cur.u16()
    base_time = cur.date_time()
    offset_min = cur.s16() if flags & 0x01 else None
    glucose = sample_type = location = None
    if flags & 0x02:
        mantissa, exponent = cur.sfloat_parts()
        if flags & 0x04:  # mol/L: x 10^3 = mmol/L
            glucose = _cursor.decimal_value(mantissa, exponent + 3)
        else:  # kg/L: x 10^5 = mg/dL
            glucose = _cursor.decimal_value(mantissa, exponent + 5) / GLUCOSE_MG_DL_PER_MMOL_L
        type_location = cur.u8()
        sample_type = GLUCOSE_SAMPLE_TYPES.get(type_location & 0x0F)
        location = GLUCOSE_SAMPLE_LOCATIONS.get(type_location >> 4)
    sensor_status = cur.u16() if flags & 0x08 else None
    return GlucoseReading(
        glucose_mmol_l=glucose,
        sequence=sequence,
        timestamp=base_time,
        time_offset_min=offset_min,
        sample_type=sample_type,
        sample_location=location,
        sensor_status=sensor_status,
        context_follows=bool(flags & 0x10),
    )
