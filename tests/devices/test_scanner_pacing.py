"""RepeatFilter and FrameThrottle on an injected clock."""

from __future__ import annotations

import pytest

from devices.scanner.base import Backoff
from devices.scanner.pacing import FrameThrottle, RepeatFilter


class Clock:
    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


def test_first_sighting_passes_and_repeat_within_window_is_dropped():
    clock = Clock()
    f = RepeatFilter(2.0, clock)
    assert f.accept(b"A")
    clock.now_s += 1.9
    assert not f.accept(b"A")


def test_payload_passes_again_after_absent_for_the_window():
    clock = Clock()
    f = RepeatFilter(2.0, clock)
    assert f.accept(b"A")
    clock.now_s += 2.0
    assert f.accept(b"A")


def test_code_held_in_view_is_delivered_once_because_each_sighting_renews_the_window():
    clock = Clock()
    f = RepeatFilter(2.0, clock)
    delivered = 0
    for _ in range(75):  # 5 s at 15 frames/s
        delivered += f.accept(b"A")
        clock.now_s += 1 / 15
    assert delivered == 1


def test_different_payloads_do_not_block_each_other():
    clock = Clock()
    f = RepeatFilter(2.0, clock)
    assert f.accept(b"A") and f.accept(b"B")
    assert not f.accept(b"A")


def test_zero_window_disables_filtering_and_reset_forgets():
    clock = Clock()
    assert all(RepeatFilter(0.0, clock).accept(b"A") for _ in range(3))
    f = RepeatFilter(2.0, clock)
    f.accept(b"A")
    f.reset()
    assert f.accept(b"A")


def test_negative_window_is_refused():
    with pytest.raises(ValueError):
        RepeatFilter(-1.0)


def test_throttle_spaces_frame_starts_by_the_period():
    t = FrameThrottle(max_fps=10.0)
    assert t.delay_s(5.0) == 0.0
    t.started(5.0)
    assert t.delay_s(5.04) == pytest.approx(0.06)
    assert t.delay_s(5.1) == 0.0
    assert t.delay_s(6.0) == 0.0


def test_throttle_refuses_non_positive_rate():
    with pytest.raises(ValueError):
        FrameThrottle(0)


def test_backoff_doubles_up_to_the_cap_and_resets():
    b = Backoff(0.5, 3.0)
    assert [b.next_s() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    b.reset()
    assert b.next_s() == 0.5
