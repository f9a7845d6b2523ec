"""Pure pacing rules for scanners: drop repeats of a payload, cap the decode rate (clock injected)."""

from __future__ import annotations

import time
from typing import Callable

Clock = Callable[[], float]


class RepeatFilter:
    """Lets a payload through once, then ignores it until it has been absent for ``window_s``.

    A code held in front of the camera is seen on every frame; each sighting renews the window,
    so it is delivered once, and again only after it was away for ``window_s`` (0 disables).
    Not thread-safe: use from one worker.
    """

    def __init__(self, window_s: float = 2.0, clock: Clock = time.monotonic) -> None:
        if window_s < 0:
            raise ValueError("window_s must be >= 0")
        self.window_s = window_s
        self._clock = clock
        self._last_seen_s: dict[bytes, float] = {}

    def accept(self, raw: bytes) -> bool:
        """True when ``raw`` should be delivered now; records the sighting either way."""
        now_s = self._clock()
        self._forget_older_than(now_s - self.window_s)
        seen_s = self._last_seen_s.get(raw)
        self._last_seen_s[raw] = now_s
        return seen_s is None or self.window_s == 0 or now_s - seen_s >= self.window_s

    def reset(self) -> None:
        """Forget every payload (e.g. when a session ends, so the next person can rescan)."""
        self._last_seen_s.clear()

    def _forget_older_than(self, cutoff_s: float) -> None:
        for key in [k for k, t in self._last_seen_s.items() if t < cutoff_s]:
            del self._last_seen_s[key]


class FrameThrottle:
    """Spaces frame starts at least ``1 / max_fps`` apart."""

    def __init__(self, max_fps: float = 15.0) -> None:
        if max_fps <= 0:
            raise ValueError("max_fps must be > 0")
        self.period_s = 1.0 / max_fps
        self._last_start_s: float | None = None

    def delay_s(self, now_s: float) -> float:
        """How long to wait at ``now_s`` before the next frame may start (0 = go)."""
        if self._last_start_s is None:
            return 0.0
        return max(0.0, self._last_start_s + self.period_s - now_s)

    def started(self, now_s: float) -> None:
        """Record that a frame started at ``now_s``."""
        self._last_start_s = now_s
