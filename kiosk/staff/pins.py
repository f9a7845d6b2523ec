"""Salted scrypt PIN hashes ("scrypt$n$r$p$salt_b64$hash_b64"), the same format the server makes."""

from __future__ import annotations

from kiosk.i18n import N_
from kiosk.protocol import parse_pin_hash, pin_hash, pin_hash_matches

MIN_PIN_DIGITS = 6
MAX_PIN_DIGITS = 12
PIN_TOO_SHORT = N_("ops.pin_format")


class PinFormatError(ValueError):
    """A new PIN that is not 6-12 digits; ``key`` is the message key for the person setting it."""

    key = PIN_TOO_SHORT

    def __init__(self) -> None:
        super().__init__(f"a PIN is {MIN_PIN_DIGITS}-{MAX_PIN_DIGITS} digits")


def check_new_pin(pin: str) -> str:
    """``pin`` when it is 6-12 ASCII digits; raises PinFormatError otherwise."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS):
        raise PinFormatError()
    return pin


def hash_pin(pin: str) -> str:
    """A new hash of ``pin`` with its own random salt (~50 ms: call off the Qt thread)."""
    return pin_hash(check_new_pin(pin))


def verify_pin(pin: str, encoded: str) -> bool:
    """True when ``pin`` matches ``encoded`` (constant-time compare); False for an empty or malformed hash."""
    if not encoded or not isinstance(pin, str):
        return False
    return pin_hash_matches(pin, encoded)


def is_pin_hash(encoded: str) -> bool:
    try:
        parse_pin_hash(encoded)
    except ValueError:
        return False
    return True
