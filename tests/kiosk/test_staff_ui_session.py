"""The staff member on the session: their own 5-minute idle time-out, sign-out, and what it clears."""

from kiosk import events
from kiosk.residents import Resident
from kiosk.session import ResidentSession, SessionEvent, SessionPhase
from kiosk.staff.auth import Operator

STAFF = Operator("S-0001", "staff", "周*燕")
RESIDENT = Resident("R-000001", "王*国", 1953)


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def _session(clock: FakeClock) -> ResidentSession:
    return ResidentSession(60, 15, clock, staff_idle_timeout_s=300)


def test_a_staff_sign_in_ends_after_five_idle_minutes_with_the_resident_it_served():
    clock = FakeClock()
    ended: list[str] = []
    stop = events.session_will_end.subscribe(ended.append)
    try:
        s = _session(clock)
        s.sign_in_staff(STAFF)
        s.identify(RESIDENT)
        assert s.operator_id == "S-0001" and s.staff_seconds_left() == 300
        clock.now += 299.5
        assert s.poll() == []
        assert s.operator is STAFF and s.resident is RESIDENT
        clock.now += 0.5
        assert [t.event for t in s.poll()] == [SessionEvent.STAFF_TIMED_OUT, SessionEvent.ENDED]
        assert s.operator is None and s.resident is None and s.operator_id is None
        assert s.phase is SessionPhase.NONE
        assert ended == ["staff_idle"]
        assert s.poll() == []  # nothing more after the end
    finally:
        stop()


def test_input_keeps_the_staff_signed_in_and_the_resident_countdown_waits_for_staff():
    clock = FakeClock()
    s = _session(clock)
    s.sign_in_staff(STAFF)
    s.identify(RESIDENT)
    for _ in range(10):
        clock.now += 200  # far beyond the resident's 60 s, within the staff's 300 s
        assert s.poll() == []
        s.touch()
    assert s.phase is SessionPhase.ACTIVE and s.operator is STAFF
    assert s.staff_seconds_left() == 300


def test_the_staff_time_out_comes_from_the_sign_in_when_given():
    clock = FakeClock()
    s = _session(clock)
    s.sign_in_staff(STAFF, idle_timeout_s=30)
    clock.now += 29
    assert s.poll() == []
    clock.now += 1
    assert SessionEvent.ENDED in [t.event for t in s.poll()]


def test_without_staff_the_resident_time_out_is_unchanged():
    clock = FakeClock()
    s = _session(clock)
    s.identify(RESIDENT)
    clock.now += 60
    assert [t.event for t in s.poll()] == [SessionEvent.COUNTDOWN_STARTED]
    assert s.staff_seconds_left() == 0


def test_signing_in_during_a_countdown_resumes_the_session():
    clock = FakeClock()
    s = _session(clock)
    s.identify(RESIDENT)
    clock.now += 61
    s.poll()
    assert s.phase is SessionPhase.COUNTDOWN
    s.sign_in_staff(STAFF)
    assert s.phase is SessionPhase.ACTIVE
    clock.now += 100
    assert s.poll() == []


def test_sign_out_and_end_both_clear_the_operator():
    clock = FakeClock()
    s = _session(clock)
    s.sign_in_staff(STAFF)
    s.identify(RESIDENT)
    assert s.sign_out().event is SessionEvent.ENDED
    assert s.operator is None and s.resident is None
    s.sign_in_staff(STAFF)
    s.end("idle")
    assert s.operator is None
