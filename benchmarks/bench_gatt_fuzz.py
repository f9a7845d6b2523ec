"""Fuzz throughput of the GATT parsers, counting exceptions that are not DeviceErrors."""

from __future__ import annotations

import random
import time

from devices.errors import DeviceError
from devices.vitals import gatt

CASES = 140_000
PARSERS = [
    gatt.parse_blood_pressure, gatt.parse_intermediate_cuff_pressure, gatt.parse_temperature,
    gatt.parse_weight, gatt.parse_plx_spot_check, gatt.parse_plx_continuous, gatt.parse_glucose,
]
SEEDS = [bytes.fromhex(h) for h in (
    "1f 78 00 50 00 5d 00 e8 07 03 05 07 08 09 46 00 01 00 00",
    "1e 78 00 ff 07 ff 07 e8 07 03 05 07 08 09 46 00 01 00 00",
    "06 6d 01 00 ff e8 07 03 05 07 08 09 02",
    "0f b0 36 e8 07 03 05 07 08 09 01 e5 00 d6 06",
    "1f 61 00 48 00 e8 07 03 05 07 08 09 80 80 20 00 01 23 f0",
    "1f 62 00 46 00 61 00 47 00 60 00 45 00 00 20 01 80 00 0c f0",
    "1f 01 00 e8 07 03 05 07 08 09 f1 ff 63 b0 12 41 00",
)]


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
