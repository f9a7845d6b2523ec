"""PIN hashes: salted scrypt in one text format, verified in constant time, shared with the server."""

from __future__ import annotations

import base64

import pytest

from kiosk.protocol import PIN_SCRYPT_N, parse_pin_hash
from kiosk.staff.pins import PinFormatError, check_new_pin, hash_pin, is_pin_hash, verify_pin


def test_the_same_pin_hashes_differently_each_time_and_both_verify():
    first, second = hash_pin("246810"), hash_pin("246810")
    assert first != second
    assert parse_pin_hash(first)[3] != parse_pin_hash(second)[3]  # a fresh salt per hash
    assert verify_pin("246810", first) and verify_pin("246810", second)


def test_the_hash_text_names_scrypt_its_parameters_salt_and_digest():
    scheme, n, r, p, salt, digest = hash_pin("135792").split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", PIN_SCRYPT_N, 8, 1)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32


@pytest.mark.parametrize("attempt", ["246811", "24681", "2468100", "", "246810 ", "２４６８１０"])
def test_a_wrong_pin_does_not_verify(attempt):
    assert not verify_pin(attempt, hash_pin("246810"))


def test_a_tampered_or_malformed_hash_never_verifies():
    encoded = hash_pin("246810")
    head, digest = encoded.rsplit("$", 1)
    raw = bytearray(base64.b64decode(digest))
    raw[0] ^= 1
    assert not verify_pin("246810", f"{head}${base64.b64encode(bytes(raw)).decode()}")
    for bad in ("", "246810", "scrypt$3$8$1$AAAA$BBBB", "md5$1$1$1$x$y", encoded.replace("scrypt", "bcrypt")):
        assert not verify_pin("246810", bad)
        assert not is_pin_hash(bad)
    assert is_pin_hash(encoded)


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "12a456", "", "１２３４５６"])
def test_a_new_pin_must_be_six_to_twelve_ascii_digits(pin):
    with pytest.raises(PinFormatError) as caught:
        hash_pin(pin)
    assert caught.value.key == "ops.pin_format"
    with pytest.raises(PinFormatError):
        check_new_pin(pin)


def test_a_hash_made_by_the_server_verifies_on_the_kiosk(tmp_path):
    from server.db import make_engine, make_sessionmaker, utc_now
    from server.ops.staff import set_pin
    from server.ops.models import StaffPin
    from server.testing import seed_minimal
    from server.txn import in_transaction

    url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_minimal(url)
    engine = make_engine(url)
    try:
        factory = make_sessionmaker(engine)
        in_transaction(factory, lambda s: set_pin(s, seed["staff_id"], "975310", now=utc_now()))
        with factory() as s:
            stored = s.get(StaffPin, seed["staff_id"]).pin_hash
    finally:
        engine.dispose()
    assert "975310" not in stored
    assert verify_pin("975310", stored) and not verify_pin("975311", stored)
