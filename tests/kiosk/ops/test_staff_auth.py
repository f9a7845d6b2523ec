"""Staff and technician sign-in: technician PIN from the config, staff PINs from the pulled directory,
signed staff/technician QR cards; resident cards and wrong roles are refused; the lock holds."""

from __future__ import annotations

import pytest

from kiosk.config import load
from kiosk.protocol import TokenRole
from kiosk.staff.auth import AuthError, Operator, sign_in_pin, sign_in_qr
from kiosk.staff.pins import hash_pin
from kiosk.storage import open_database
from support.kiosk_world import new_issuer, trust
from support.ops_world import Clock, pull_changes, set_community, staff_change

TECH_PIN = "731904"


@pytest.fixture(scope="module")
def config():
    config = load(None)
    config.technician.pin_hash = hash_pin(TECH_PIN)
    return config


@pytest.fixture
def directory(kiosk_db):
    set_community(kiosk_db, "C-01")
    pull_changes(kiosk_db,
                 staff_change("S-0001", "周*燕", "staff", "C-01", "246810"),
                 staff_change("S-0002", "吴*傅", "technician", "C-01", "135790"),
                 staff_change("S-0009", "钱*", "staff", "C-02", "112233"),
                 staff_change("S-0010", "孙*", "staff", "C-01", "445566", active=False),
                 staff_change("S-0011", "李*", "staff", "C-01", None))
    return kiosk_db


def _refused(fn, *args, **kw) -> AuthError:
    with pytest.raises(AuthError) as caught:
        fn(*args, **kw)
    return caught.value


def test_the_technician_signs_in_with_the_pin_in_the_config(kiosk_db, config):
    assert sign_in_pin(kiosk_db, config, "technician", TECH_PIN) == Operator("technician", "technician", "")
    wrong = _refused(sign_in_pin, kiosk_db, config, "technician", "000000")
    assert (wrong.key, wrong.params, wrong.wait_s) == ("ops.pin_wrong", {"left": 4}, 0)


def test_without_a_technician_pin_in_the_config_pin_sign_in_is_off(kiosk_db):
    assert _refused(sign_in_pin, kiosk_db, load(None), "technician", "000000").key == "ops.pin_not_set"


def test_five_wrong_pins_lock_and_the_lock_holds_after_a_restart(tmp_path, config):
    clock = Clock()
    path = tmp_path / "kiosk.sqlite3"
    db = open_database(path)
    try:
        keys = [_refused(sign_in_pin, db, config, "technician", "000000", clock=clock).key for _ in range(5)]
        assert keys == ["ops.pin_wrong"] * 4 + ["ops.locked_seconds"]
        locked = _refused(sign_in_pin, db, config, "technician", TECH_PIN, clock=clock)
        assert (locked.key, locked.wait_s, locked.params) == ("ops.locked_seconds", 30, {"seconds": 30})
    finally:
        db.close()
    clock.advance(10)
    db = open_database(path)  # the kiosk restarted: same file, new gate
    try:
        assert _refused(sign_in_pin, db, config, "technician", TECH_PIN, clock=clock).wait_s == 20
        clock.advance(20)
        sixth = _refused(sign_in_pin, db, config, "technician", "000000", clock=clock)
        assert (sixth.key, sixth.wait_s) == ("ops.locked_minutes", 60) and sixth.params == {"minutes": 1}
        clock.advance(60)
        assert sign_in_pin(db, config, "technician", TECH_PIN, clock=clock).role == "technician"
    finally:
        db.close()


def test_staff_sign_in_with_their_pin_from_the_pulled_directory(directory, config):
    assert sign_in_pin(directory, config, "staff", "246810", "s-0001") == Operator("S-0001", "staff", "周*燕")
    assert sign_in_pin(directory, config, "technician", "135790", "S-0002") == Operator("S-0002", "technician", "吴*傅")
    assert _refused(sign_in_pin, directory, config, "staff", "246811", "S-0001").key == "ops.pin_wrong"


@pytest.mark.parametrize(("role", "staff_id", "pin", "key"), [
    ("staff", "S-0404", "246810", "ops.staff_unknown"),  # not in the directory
    ("staff", "S-0002", "135790", "ops.staff_unknown"),  # a technician is not help-desk staff
    ("technician", "S-0001", "246810", "ops.staff_unknown"),  # nor the other way round
    ("staff", "S-0010", "445566", "ops.staff_unknown"),  # no longer active
    ("staff", "S-0009", "112233", "ops.other_community"),
    ("staff", "S-0011", "000000", "ops.pin_not_set"),
    ("staff", None, "246810", "ops.staff_id_needed"),
])
def test_staff_sign_in_refusals_say_why(directory, config, role, staff_id, pin, key):
    assert _refused(sign_in_pin, directory, config, role, pin, staff_id).key == key


def test_a_staff_member_locked_out_does_not_lock_the_others(directory, config):
    for _ in range(5):
        _refused(sign_in_pin, directory, config, "staff", "000000", "S-0001")
    assert _refused(sign_in_pin, directory, config, "staff", "246810", "S-0001").key == "ops.locked_seconds"
    assert sign_in_pin(directory, config, "technician", TECH_PIN).operator_id == "technician"


def test_staff_and_technician_cards_sign_in_with_their_role(directory):
    issuer = new_issuer()
    trust(directory, issuer)
    staff_card = issuer.card("S-0001", role=TokenRole.STAFF)
    tech_card = issuer.card("S-0002", role=TokenRole.TECHNICIAN)
    assert sign_in_qr(directory, staff_card, "staff") == Operator("S-0001", "staff", "周*燕")
    assert sign_in_qr(directory, tech_card, "technician") == Operator("S-0002", "technician", "吴*傅")
    unlisted = issuer.card("S-0777", role=TokenRole.STAFF)  # signed by the server, not pulled yet
    assert sign_in_qr(directory, unlisted, "staff") == Operator("S-0777", "staff", "")


def test_resident_cards_and_cards_of_the_other_role_are_refused(directory):
    issuer = new_issuer()
    trust(directory, issuer)
    resident = _refused(sign_in_qr, directory, issuer.card("R-000001"), "staff")
    assert (resident.key, resident.reason) == ("ops.not_staff_card", "wrong_role")
    assert _refused(sign_in_qr, directory, issuer.card("R-000001"), "technician").key == "ops.not_technician_card"
    staff_card = issuer.card("S-0001", role=TokenRole.STAFF)
    assert _refused(sign_in_qr, directory, staff_card, "technician").key == "ops.not_technician_card"
    tech_card = issuer.card("S-0002", role=TokenRole.TECHNICIAN)
    assert _refused(sign_in_qr, directory, tech_card, "staff").key == "ops.not_staff_card"


def test_expired_forged_and_inactive_cards_are_refused(directory):
    issuer = new_issuer()
    trust(directory, issuer)
    expired = issuer.card("S-0001", role=TokenRole.STAFF, lifetime_s=60, now=1_700_000_000)
    assert _refused(sign_in_qr, directory, expired, "staff").key == "identity.expired"
    forged = new_issuer().card("S-0001", role=TokenRole.STAFF)
    assert _refused(sign_in_qr, directory, forged, "staff").key == "identity.unknown_key"
    inactive = issuer.card("S-0010", role=TokenRole.STAFF)
    assert _refused(sign_in_qr, directory, inactive, "staff").key == "ops.staff_unknown"
