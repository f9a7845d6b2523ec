"""Property tests: random and mutated bytes into every GATT parser raise only DeviceError."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError
from devices.vitals.gatt_examples import FULL_PAYLOADS as SEEDS
from devices.vitals.gatt_examples import PARSERS


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
