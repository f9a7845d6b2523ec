"""IEEE 11073 SFLOAT/FLOAT decoding: STANDARDS vectors, two's complement, special values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.errors import InvalidMeasurement, ProtocolError
from devices.vitals.gatt import float32, sfloat


def encode_sfloat(mantissa: int, exponent: int) -> int:
    return ((exponent & 0xF) << 12) | (mantissa & 0xFFF)


def encode_float(mantissa: int, exponent: int) -> int:
    return ((exponent & 0xFF) << 24) | (mantissa & 0xFFFFFF)


SFLOAT_SPECIALS = {0x07FF: "nan", 0x0800: "nres", 0x07FE: "+inf", 0x0802: "-inf",
                   0x0801: "reserved"}
FLOAT_SPECIALS = {0x007FFFFF: "nan", 0x00800000: "nres", 0x007FFFFE: "+inf",
                  0x00800002: "-inf", 0x00800001: "reserved"}


@pytest.mark.parametrize("raw, value", [(0xF014, 2.0), (0x0B2E, -1234.0), (0x0078, 120.0)])
def test_sfloat_decodes_standards_examples(raw: int, value: float) -> None:
    assert sfloat(raw) == value


@pytest.mark.parametrize(
    "raw, value",
    [
        (0x8001, 1e-8),  # most negative exponent: a biased decoder would read 10^8
        (0x7001, 1e7),
        (0x0FFF, -1.0),  # mantissa -1
        (0xFFFF, -0.1),
        (0x0801 | 0x1000, -2047 * 10.0),  # mantissa 0x801 with exponent 1 is a number
        (0x17FF, 20470.0),  # NaN's mantissa with a non-zero exponent is not special
        (0xF16D, 36.5),
        (0x0000, 0.0),
    ],
)
def test_sfloat_uses_twos_complement_exponent_and_mantissa(raw: int, value: float) -> None:
    assert sfloat(raw) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("raw, name", sorted(SFLOAT_SPECIALS.items()))
def test_sfloat_special_values_raise_invalid_measurement(raw: int, name: str) -> None:
    with pytest.raises(InvalidMeasurement) as info:
        sfloat(raw)
    assert info.value.key == "vitals.measurement_failed"
    assert info.value.params["special"] == name


@pytest.mark.parametrize("raw", [-1, 0x10000, 1 << 40])
def test_sfloat_rejects_values_wider_than_16_bits(raw: int) -> None:
    with pytest.raises(ProtocolError):
        sfloat(raw)


@given(st.integers(-2048, 2047), st.integers(-8, 7))
def test_sfloat_round_trips_every_mantissa_and_exponent(mantissa: int, exponent: int) -> None:
    raw = encode_sfloat(mantissa, exponent)
    if raw in SFLOAT_SPECIALS:
        with pytest.raises(InvalidMeasurement):
            sfloat(raw)
    else:
        assert sfloat(raw) == pytest.approx(mantissa * 10.0**exponent, rel=1e-12)


def test_float32_decodes_the_standards_temperature_value() -> None:
    # bytes 6D 01 00 FF little-endian = 0xFF00016D: 365 x 10^-1
    assert float32(0xFF00016D) == 36.5


@pytest.mark.parametrize(
    "raw, value",
    [
        (0x00FFFFFF, -1.0),
        (0x80000001, 1e-128),
        (0x7F000001, 1e127),
        (0x017FFFFF, 8388607 * 10.0),  # NaN's mantissa with exponent 1 is a number
        (0xFD0E3A4C, 932428e-3),
    ],
)
def test_float32_uses_twos_complement_exponent_and_mantissa(raw: int, value: float) -> None:
    assert float32(raw) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("raw, name", sorted(FLOAT_SPECIALS.items()))
def test_float32_special_values_raise_invalid_measurement(raw: int, name: str) -> None:
    with pytest.raises(InvalidMeasurement) as info:
        float32(raw)
    assert info.value.params["special"] == name


@pytest.mark.parametrize("raw", [-1, 1 << 32])
def test_float32_rejects_values_wider_than_32_bits(raw: int) -> None:
    with pytest.raises(ProtocolError):
        float32(raw)


@given(st.integers(-(1 << 23), (1 << 23) - 1), st.integers(-128, 127))
def test_float32_round_trips_every_mantissa_and_exponent(mantissa: int, exponent: int) -> None:
    raw = encode_float(mantissa, exponent)
    if raw in FLOAT_SPECIALS:
        with pytest.raises(InvalidMeasurement):
            float32(raw)
    else:
        assert float32(raw) == pytest.approx(mantissa * 10.0**exponent, rel=1e-12)
