"""Jittered exponential backoff ("full jitter"): delay = uniform(0, min(cap, base * factor**n))."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays between failed attempts; ``reset()`` after a success. Not thread-safe (relay thread).

    Full jitter spreads 200 kiosks that lost the network together over the whole window
    instead of having them return in lock step. ``floor_s`` keeps a minimum pause.
    """

    base_s: float = 1.0
    factor: float = 2.0
    cap_s: float = 300.0
    floor_s: float = 0.05
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def ceiling_s(self) -> float:
        """The upper bound of the next delay."""
        return min(self.cap_s, self.base_s * self.factor ** min(self.failures, 64))

    def next_delay_s(self, retry_after_s: float | None = None) -> float:
        """The delay before the next attempt; a server's Retry-After is honoured (at least that long)."""
        delay = max(self.floor_s, self.rng.uniform(0.0, self.ceiling_s()))
        self.failures += 1
        if retry_after_s is not None:
            delay = max(delay, min(retry_after_s, self.cap_s))
        return min(delay, self.cap_s)

    def reset(self) -> None:
        self.failures = 0
