"""The resident session's idle time-out, countdown and end, on an injected clock."""

from kiosk import events
from kiosk.session import ResidentSession, SessionEvent, SessionPhase


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_countdown_before_the_idle_timeout():
    clock = FakeClock()
    s = ResidentSession(60, 15, clock)
    s.start("touch")
    clock.now += 59.9
    assert s.poll() == []
    assert s.phase is SessionPhase.ACTIVE


def test_countdown_starts_after_idle_timeout_and_ticks_each_second_then_ends():
    clock = FakeClock()
    ended = []
    unsubscribe = events.session_will_end.subscribe(ended.append)
    try:
        s = ResidentSession(60, 15, clock)
        s.start("touch")
        clock.now += 60
        ticks = s.poll()
        assert [t.event for t in ticks] == [SessionEvent.COUNTDOWN_STARTED]
        assert ticks[0].seconds_left == 15
        seen = []
        for _ in range(15 * 4):
            clock.now += 0.25
            for t in s.poll():
                seen.append((t.event, t.seconds_left))
        assert [left for ev, left in seen if ev is SessionEvent.COUNTDOWN_TICK] == list(range(14, 0, -1))
        assert seen[-1][0] is SessionEvent.ENDED
        assert s.phase is SessionPhase.NONE
        assert ended == ["idle"]
    finally:
        unsubscribe()


def test_touch_during_countdown_resumes_the_session():
    clock = FakeClock()
    s = ResidentSession(60, 15, clock)
    s.start("touch")
    clock.now += 61
    s.poll()
    assert s.phase is SessionPhase.COUNTDOWN
    assert [t.event for t in s.touch()] == [SessionEvent.RESUMED]
    clock.now += 59
    assert s.poll() == []
    assert s.phase is SessionPhase.ACTIVE


def test_input_keeps_the_session_alive():
    clock = FakeClock()
    s = ResidentSession(60, 15, clock)
    s.start("touch")
    for _ in range(10):
        clock.now += 50
        s.touch()
        assert s.poll() == []


def test_no_session_means_no_countdown():
    clock = FakeClock()
    s = ResidentSession(60, 15, clock)
    clock.now += 600
    assert s.poll() == []


def test_start_emits_once_per_session():
    started = []
    unsubscribe = events.session_did_start.subscribe(started.append)
    try:
        s = ResidentSession(60, 15, FakeClock())
        s.start("touch")
        s.start("qr")
        s.end("home")
        s.start("qr")
        assert started == ["touch", "qr"]
    finally:
        unsubscribe()
