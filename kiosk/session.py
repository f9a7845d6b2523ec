"""Resident session: starts on identification or a service touch, ends after idle + countdown."""

from __future__ import annotations

import enum
import math
import time
from dataclasses import dataclass
from typing import Any, Callable

from kiosk import events


class SessionPhase(enum.Enum):
    NONE = "none"  # nobody is using the kiosk (home screen, defaults)
    ACTIVE = "active"
    COUNTDOWN = "countdown"  # "还在吗？" overlay counting down


class SessionEvent(enum.Enum):
    COUNTDOWN_STARTED = "countdown_started"
    COUNTDOWN_TICK = "countdown_tick"
    RESUMED = "resumed"
    ENDED = "ended"


@dataclass(frozen=True)
class Tick:
    event: SessionEvent
    seconds_left: int = 0


class ResidentSession:
    """Pure idle logic driven by a clock; the UI calls ``touch`` on input and ``poll`` on a timer."""

    def __init__(
        self,
        idle_timeout_s: float = 60.0,
        countdown_s: int = 15,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self._clock = clock
        self.phase = SessionPhase.NONE
        self._last_input = clock()
        self._countdown_started = 0.0
        self._last_announced = -1
        self.how_started = ""
        self.resident: Any = None  # kiosk.residents.Resident once identified; cleared at the end

    @property
    def active(self) -> bool:
        return self.phase is not SessionPhase.NONE

    def start(self, how: str) -> None:
        """Begin a session (a service touched, a resident identified); no-op when one runs."""
        self._last_input = self._clock()
        if self.phase is SessionPhase.NONE:
            self.phase = SessionPhase.ACTIVE
            self.how_started = how
            events.session_did_start.emit(how)

    def touch(self) -> list[Tick]:
        """Any input: resets the idle clock and cancels a running countdown."""
        self._last_input = self._clock()
        if self.phase is SessionPhase.COUNTDOWN:
            self.phase = SessionPhase.ACTIVE
            return [Tick(SessionEvent.RESUMED)]
        return []

    def seconds_left(self) -> int:
        if self.phase is not SessionPhase.COUNTDOWN:
            return self.countdown_s
        elapsed = self._clock() - self._countdown_started
        return max(0, math.ceil(self.countdown_s - elapsed))

    def poll(self) -> list[Tick]:
        """Advance by the clock; returns what happened since the last poll."""
        now = self._clock()
        out: list[Tick] = []
        if self.phase is SessionPhase.ACTIVE and now - self._last_input >= self.idle_timeout_s:
            self.phase = SessionPhase.COUNTDOWN
            self._countdown_started = now
            self._last_announced = self.countdown_s
            out.append(Tick(SessionEvent.COUNTDOWN_STARTED, self.countdown_s))
        elif self.phase is SessionPhase.COUNTDOWN:
            left = self.seconds_left()
            if left <= 0:
                out.append(self.end("idle"))
            elif left != self._last_announced:
                self._last_announced = left
                out.append(Tick(SessionEvent.COUNTDOWN_TICK, left))
        return out

    def end(self, reason: str) -> Tick:
        """End now (idle, home pressed after a session, logout); listeners drop personal data."""
        if self.phase is not SessionPhase.NONE:
            events.session_will_end.emit(reason)
        self.phase = SessionPhase.NONE
        self.how_started = ""
        self.resident = None
        return Tick(SessionEvent.ENDED)

    def identify(self, resident: Any) -> None:
        """Remember who is at the kiosk (a kiosk.residents.Resident) until the session ends."""
        self.start("identified")
        self.resident = resident
