"""Little-endian reader for GATT payloads: IEEE 11073 SFLOAT/FLOAT parts and date-time."""

from __future__ import annotations

from datetime import datetime

from devices.errors import InvalidMeasurement, ProtocolError
from devices.messages import N_

PROTOCOL_ERROR_KEY = N_("vitals.protocol_error")
MEASUREMENT_FAILED_KEY = N_("vitals.measurement_failed")

SFLOAT_SPECIALS = {
    0x07FF: "nan", 0x0800: "nres", 0x07FE: "+inf", 0x0802: "-inf", 0x0801: "reserved",
}
FLOAT_SPECIALS = {
    0x007FFFFF: "nan", 0x00800000: "nres", 0x007FFFFE: "+inf", 0x00800002: "-inf",
    0x00800001: "reserved",
}


def protocol_error(detail: str) -> ProtocolError:
    return ProtocolError(detail, key=PROTOCOL_ERROR_KEY)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) & 1 else value


def sfloat_parts(raw: int) -> tuple[int, int]:
    """(mantissa, exponent) of a 16-bit SFLOAT; InvalidMeasurement for the special values."""
    if not isinstance(raw, int) or not 0 <= raw <= 0xFFFF:
        raise protocol_error(f"SFLOAT out of range: {raw!r}")
    special = SFLOAT_SPECIALS.get(raw)
    if special is not None:
        raise InvalidMeasurement(
            f"SFLOAT special value {special}", key=MEASUREMENT_FAILED_KEY, special=special
        )
    return _signed(raw & 0x0FFF, 12), _signed(raw >> 12, 4)


def float_parts(raw: int) -> tuple[int, int]:
    """(mantissa, exponent) of a 32-bit FLOAT; InvalidMeasurement for the special values."""
    if not isinstance(raw, int) or not 0 <= raw <= 0xFFFFFFFF:
        raise protocol_error(f"FLOAT out of range: {raw!r}")
    special = FLOAT_SPECIALS.get(raw)
    if special is not None:
        raise InvalidMeasurement(
            f"FLOAT special value {special}", key=MEASUREMENT_FAILED_KEY, special=special
        )
    return _signed(raw & 0xFFFFFF, 24), _signed(raw >> 24, 8)


def decimal_value(mantissa: int, exponent: int) -> float:
    """mantissa x 10^exponent, divided rather than multiplied by 0.1 so 365e-1 is exactly 36.5."""
    if exponent >= 0:
        return float(mantissa * 10**exponent)
    return mantissa / 10**-exponent


class Cursor:
    """Reads fields in order from a payload; every short read is a ProtocolError."""

    def __init__(self, data: bytes | bytearray | memoryview, what: str) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise protocol_error(f"{what}: expected bytes, got {type(data).__name__}")
        self.data = bytes(data)
        self.pos = 0
        self.what = what

    def take(self, size: int) -> bytes:
        end = self.pos + size
        if end > len(self.data):
            raise protocol_error(
                f"{self.what}: truncated at byte {self.pos}, need {size} of {len(self.data)}"
            )
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "little")

    def u8(self) -> int:
        return self.uint(1)

    def u16(self) -> int:
        return self.uint(2)

    def s16(self) -> int:
        return int.from_bytes(self.take(2), "little", signed=True)

    def u24(self) -> int:
        return self.uint(3)

    def sfloat_parts(self) -> tuple[int, int]:
        return sfloat_parts(self.u16())

    def sfloat(self) -> float:
        return decimal_value(*self.sfloat_parts())

    def sfloat_or_none(self) -> float | None:
        """An auxiliary SFLOAT (pulse, MAP, PAI): a special value means 'not available'."""
        raw = self.u16()
        if raw in SFLOAT_SPECIALS:
            return None
        return decimal_value(*sfloat_parts(raw))

    def float32(self) -> float:
        return decimal_value(*float_parts(self.uint(4)))

    def date_time(self) -> datetime | None:
        """7-byte Date Time; None when year, month or day is 0 (unknown)."""
        year = self.u16()
        month, day, hours, minutes, seconds = self.take(5)
        if year == 0 or month == 0 or day == 0:
            return None
        if not 1582 <= year <= 9999:
            raise protocol_error(f"{self.what}: year {year} outside 1582..9999")
        try:
            return datetime(year, month, day, hours, minutes, seconds)
        except ValueError as exc:  # month 13, 30 February, hour 24...
            raise protocol_error(f"{self.what}: invalid date-time ({exc})") from exc
