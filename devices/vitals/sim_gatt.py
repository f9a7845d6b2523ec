"""Encoders of GATT health-profile payloads, so the simulated twins speak the real wire format."""

from __future__ import annotations

import struct
from datetime import datetime

# Mantissas that collide with SFLOAT/FLOAT special values (NaN, NRes, +-INF, reserved).
_SFLOAT_MANTISSA_MAX = 0x07FD
_FLOAT_MANTISSA_MAX = 0x7FFFFD
SFLOAT_NAN = 0x07FF


def sfloat(value: float, exponent: int) -> int:
    """16-bit SFLOAT of ``value`` with a fixed decimal ``exponent`` (e.g. -1 for one decimal)."""
    mantissa = round(value / 10**exponent) if exponent < 0 else round(value) // 10**exponent
    if not -_SFLOAT_MANTISSA_MAX <= mantissa <= _SFLOAT_MANTISSA_MAX or not -8 <= exponent <= 7:
        raise ValueError(f"{value} does not fit an SFLOAT with exponent {exponent}")
    return (exponent & 0x0F) << 12 | mantissa & 0x0FFF


def float32(value: float, exponent: int) -> int:
    """32-bit FLOAT of ``value`` with a fixed decimal ``exponent``."""
    mantissa = round(value / 10**exponent) if exponent < 0 else round(value) // 10**exponent
    if not -_FLOAT_MANTISSA_MAX <= mantissa <= _FLOAT_MANTISSA_MAX or not -128 <= exponent <= 127:
        raise ValueError(f"{value} does not fit a FLOAT with exponent {exponent}")
    return (exponent & 0xFF) << 24 | mantissa & 0xFFFFFF


def date_time(when: datetime) -> bytes:
    """7-byte GATT date-time: uint16 year, month, day, hours, minutes, seconds."""
    return struct.pack(
        "<HBBBBB", when.year, when.month, when.day, when.hour, when.minute, when.second
    )


def blood_pressure(
    systolic_mmhg: float,
    diastolic_mmhg: float,
    mean_arterial_mmhg: float,
    pulse_bpm: float,
    *,
    timestamp: datetime | None = None,
    status_bits: int | None = None,
) -> bytes:
    """0x2A35 in mmHg with pulse, optional time stamp and measurement status bits."""
    flags = 0x04 | (0x02 if timestamp else 0) | (0x10 if status_bits is not None else 0)
    out = bytearray([flags])
    out += struct.pack(
        "<HHH", sfloat(systolic_mmhg, 0), sfloat(diastolic_mmhg, 0), sfloat(mean_arterial_mmhg, 0)
    )
    if timestamp:
        out += date_time(timestamp)
    out += struct.pack("<H", sfloat(pulse_bpm, 0))
    if status_bits is not None:
        out += struct.pack("<H", status_bits)
    return bytes(out)


def intermediate_cuff_pressure(cuff_mmhg: float) -> bytes:
    """0x2A36 in mmHg: the cuff pressure in the systolic field, diastolic and MAP NaN."""
    return bytes([0x00]) + struct.pack("<HHH", sfloat(cuff_mmhg, 0), SFLOAT_NAN, SFLOAT_NAN)


def temperature(
    temperature_c: float, site_code: int, *, timestamp: datetime | None = None
) -> bytes:
    """0x2A1C in degrees Celsius with a temperature type (1 armpit, 2 body, ...)."""
    flags = 0x04 | (0x02 if timestamp else 0)
    out = bytearray([flags]) + struct.pack("<I", float32(temperature_c, -2))
    if timestamp:
        out += date_time(timestamp)
    out.append(site_code)
    return bytes(out)


def weight(
    weight_kg: float, *, height_m: float | None = None, timestamp: datetime | None = None
) -> bytes:
    """0x2A9D in SI units (0.005 kg steps); BMI and height when ``height_m`` is given."""
    flags = (0x02 if timestamp else 0) | (0x08 if height_m else 0)
    out = bytearray([flags]) + struct.pack("<H", round(weight_kg / 0.005))
    if timestamp:
        out += date_time(timestamp)
    if height_m:
        bmi = weight_kg / (height_m * height_m)
        out += struct.pack("<HH", round(bmi * 10), round(height_m * 1000))
    return bytes(out)


def plx_spot_check(
    spo2_pct: float, pulse_bpm: float, *, timestamp: datetime | None = None
) -> bytes:
    """0x2A5E with SpO2 and pulse (SFLOAT, whole numbers) and an optional time stamp."""
    flags = 0x01 if timestamp else 0
    out = bytearray([flags]) + struct.pack("<HH", sfloat(spo2_pct, 0), sfloat(pulse_bpm, 0))
    if timestamp:
        out += date_time(timestamp)
    return bytes(out)


def glucose(sequence: int, base_time: datetime, glucose_mmol_l: float) -> bytes:
    """0x2A18 in mol/L (0.1 mmol/L steps), capillary whole blood from a finger."""
    flags = 0x02 | 0x04  # concentration with type/location present, unit mol/L
    out = bytearray([flags]) + struct.pack("<H", sequence) + date_time(base_time)
    out += struct.pack("<H", sfloat(glucose_mmol_l / 1000, -4))  # 10^-4 mol/L = 0.1 mmol/L
    out.append(0x1 << 4 | 0x1)  # location finger, type capillary whole blood
    return bytes(out)
