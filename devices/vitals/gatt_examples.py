"""Reference payloads with every optional field present, one per GATT parser, in parser order.

Used as mutation seeds by the fuzz test and the fuzz benchmark, and as worked examples for
technicians comparing a meter's wire log with what the kiosk expects.
"""

from __future__ import annotations

from devices.vitals import gatt

PARSERS = (
    gatt.parse_blood_pressure, gatt.parse_intermediate_cuff_pressure, gatt.parse_temperature,
    gatt.parse_weight, gatt.parse_plx_spot_check, gatt.parse_plx_continuous, gatt.parse_glucose,
)

FULL_PAYLOADS = tuple(bytes.fromhex(h) for h in (
    "1f 78 00 50 00 5d 00 e8 07 03 05 07 08 09 46 00 01 00 00",
    "1e 78 00 ff 07 ff 07 e8 07 03 05 07 08 09 46 00 01 00 00",
    "06 6d 01 00 ff e8 07 03 05 07 08 09 02",
    "0f b0 36 e8 07 03 05 07 08 09 01 e5 00 d6 06",
    "1f 61 00 48 00 e8 07 03 05 07 08 09 80 80 20 00 01 23 f0",
    "1f 62 00 46 00 61 00 47 00 60 00 45 00 00 20 01 80 00 0c f0",
    "1f 01 00 e8 07 03 05 07 08 09 f1 ff 63 b0 12 41 00",
))
