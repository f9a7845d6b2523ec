"""PIN lockout: 5 failures lock, each later failure doubles the wait (30 s ... 1 h), kept across restarts."""

from __future__ import annotations

import pytest

from kiosk.staff.lockout import PinGate, lock_seconds
from kiosk.staff.pins import hash_pin
from kiosk.storage import open_database
from support.ops_world import Clock

RIGHT = "482913"


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_pin(RIGHT)


def test_lock_times_start_at_the_fifth_failure_and_double_up_to_an_hour():
    assert [lock_seconds(n) for n in range(1, 14)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert lock_seconds(500) == 3600


def test_four_failures_do_not_lock_and_the_fifth_locks_for_thirty_seconds(kiosk_db, encoded):
    clock = Clock()
    gate = PinGate(kiosk_db, "technician", clock)
    for n in range(1, 5):
        attempt = gate.check("000000", encoded)
        assert (attempt.ok, attempt.failures, attempt.wait_s, attempt.locked_until) == (False, n, 0, None)
    fifth = gate.check("000000", encoded)
    assert (fifth.ok, fifth.failures, fifth.wait_s) == (False, 5, 30)
    assert fifth.locked_until == clock.now + __import__("datetime").timedelta(seconds=30)
    assert gate.locked_for_s() == 30


def test_while_locked_even_the_right_pin_is_refused_and_not_counted(kiosk_db, encoded):
    clock = Clock()
    gate = PinGate(kiosk_db, "staff:S-0001", clock)
    for _ in range(5):
        gate.check("111111", encoded)
    clock.advance(29)
    refused = gate.check(RIGHT, encoded)
    assert (refused.ok, refused.failures, refused.wait_s) == (False, 5, 1)
    clock.advance(1)
    assert gate.locked_for_s() == 0
    assert gate.check(RIGHT, encoded).ok
    assert gate.failures() == 0  # a success forgets the failures


def test_each_failure_after_the_lock_doubles_the_wait_up_to_an_hour(kiosk_db, encoded):
    clock = Clock()
    gate = PinGate(kiosk_db, "technician", clock)
    waits = []
    for _ in range(14):
        attempt = gate.check("999999", encoded)
        waits.append(attempt.wait_s)
        clock.advance(attempt.wait_s)  # wait out the lock, then fail again
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_the_lock_survives_a_restart_of_the_kiosk(tmp_path, encoded):
    clock = Clock()
    path = tmp_path / "kiosk.sqlite3"
    db = open_database(path)
    try:
        gate = PinGate(db, "technician", clock)
        for _ in range(6):
            gate.check("123123", encoded)
            clock.advance(gate.locked_for_s())
        last = gate.check("123123", encoded)  # 7th failure: locked 120 s
        assert last.wait_s == 120
    finally:
        db.close()
    clock.advance(100)
    reopened = open_database(path)
    try:
        gate = PinGate(reopened, "technician", clock)
        assert gate.locked_for_s() == 20
        attempt = gate.check(RIGHT, encoded)
        assert (attempt.ok, attempt.wait_s, attempt.failures) == (False, 20, 7)
        clock.advance(20)
        assert gate.check(RIGHT, encoded).ok
    finally:
        reopened.close()


def test_each_sign_in_has_its_own_lock(kiosk_db, encoded):
    clock = Clock()
    for _ in range(5):
        PinGate(kiosk_db, "staff:S-0001", clock).check("000000", encoded)
    assert PinGate(kiosk_db, "staff:S-0001", clock).locked_for_s() == 30
    assert PinGate(kiosk_db, "staff:S-0002", clock).locked_for_s() == 0
    assert PinGate(kiosk_db, "technician", clock).check(RIGHT, encoded).ok
