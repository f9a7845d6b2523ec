"""Property tests: random and mutated bytes into every GATT parser raise only DeviceError."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError
from devices.vitals import gatt

PARSERS = [
    gatt.parse_blood_pressure, gatt.parse_intermediate_cuff_pressure, gatt.parse_temperature,
    gatt.parse_weight, gatt.parse_plx_spot_check, gatt.parse_plx_continuous, gatt.parse_glucose,
]

# Valid payloads with every optional field present, as seeds for mutation.
SEEDS = [bytes.fromhex(h) for h in (
    "1f 78 00 50 00 5d 00 e8 07 03 05 07 08 09 46 00 01 00 00",
    "1e 78 00 ff 07 ff 07 e8 07 03 05 07 08 09 46 00 01 00 00",
    "06 6d 01 00 ff e8 07 03 05 07 08 09 02",
    "0f b0 36 e8 07 03 05 07 08 09 01 e5 00 d6 06",
    "1f 61 00 48 00 e8 07 03 05 07 08 09 80 80 20 00 01 23 f0",
    "1f 62 00 46 00 61 00 47 00 60 00 45 00 00 20 01 80 00 0c f0",
    "1f 01 00 e8 07 03 05 07 08 09 f1 ff 63 b0 12 41 00",
)]


def _mutate(seed: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    data = bytearray(seed)
    for op, pos, value in edits:
        if op == 0 and data:  # overwrite a byte
            data[pos % len(data)] = value
        elif op == 1 and data:  # cut at a position
            del data[pos % len(data):]
        elif op == 2:  # insert a byte
            data.insert(pos % (len(data) + 1), value)
        elif op == 3 and data:  # flip one bit
            data[pos % len(data)] ^= 1 << (value % 8)
    return bytes(data)


def _assert_finite_numbers(reading: object) -> None:
    for f in dataclasses.fields(reading):  # type: ignore[arg-type]
        value = getattr(reading, f.name)
        if isinstance(value, float):
            assert math.isfinite(value), f.name


def _check(parse, data: bytes) -> None:
    try:
        reading = parse(data)
    except DeviceError:
        return
    _assert_finite_numbers(reading)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PARSERS), st.binary(max_size=40))
def test_random_bytes_raise_only_device_errors(parse, data: bytes) -> None:
    _check(parse, data)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(PARSERS),
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 63), st.integers(0, 255)), max_size=6),
)
def test_mutated_valid_payloads_raise_only_device_errors(parse, seed: bytes, edits) -> None:
    _check(parse, _mutate(seed, edits))


def test_seed_payloads_are_valid_for_their_own_parser() -> None:
    # Guards the mutation test: its seeds must start from decodable frames.
    for parse, seed in zip(PARSERS, SEEDS):
        parse(seed)
