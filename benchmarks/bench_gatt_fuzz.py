"""Fuzz throughput of the GATT parsers, counting exceptions that are not DeviceErrors."""

from __future__ import annotations

import random
import time

from devices.errors import DeviceError
from devices.vitals.gatt_examples import FULL_PAYLOADS as SEEDS
from devices.vitals.gatt_examples import PARSERS

CASES = 140_000


def _case(rng: random.Random, index: int) -> bytes:
    if index % 2 == 0:
        return rng.randbytes(rng.randrange(0, 32))
    data = bytearray(rng.choice(SEEDS))
    for _ in range(rng.randrange(1, 5)):
        op = rng.randrange(4)
        if op == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 1 and data:
            del data[rng.randrange(len(data)):]
        elif op == 2:
            data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
        elif data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def run() -> list[tuple[str, float, str]]:
    rng = random.Random(20240305)
    cases = [_case(rng, i) for i in range(CASES)]
    parsed = device_errors = escaped = 0
    started = time.perf_counter()
    for i, data in enumerate(cases):
        try:
            PARSERS[i % len(PARSERS)](data)
            parsed += 1
        except DeviceError:
            device_errors += 1
        except Exception:  # the count this benchmark exists to report
            escaped += 1
    elapsed_s = time.perf_counter() - started
    return [
        ("gatt fuzz cases", float(CASES), "cases"),
        ("gatt fuzz throughput", CASES / elapsed_s, "cases/s"),
        ("gatt fuzz decoded as readings", float(parsed), "cases"),
        ("gatt fuzz rejected as DeviceError", float(device_errors), "cases"),
        ("gatt fuzz non-DeviceError exceptions", float(escaped), "count"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:40s} {value:14,.1f} {unit}")
