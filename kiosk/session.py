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
    STAFF_TIMED_OUT = "staff_timed_out"  # the staff member was idle too long; ENDED follows


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
        staff_idle_timeout_s: float = 300.0,
    ) -> None:
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.staff_idle_timeout_s = staff_idle_timeout_s  # config ops.staff_idle_timeout_s
        self._clock = clock
        self.phase = SessionPhase.NONE
        self._last_input = clock()
        self._countdown_started = 0.0
        self._last_announced = -1
        self.how_started = ""
        self.resident: Any = None  # kiosk.residents.Resident once identified; cleared at the end
        # Issue #8: the staff member acting at the help desk (kiosk.staff.auth.Operator) or None;
        # services record ``operator_id`` on what they queue while one is signed in.
        self.operator: Any = None
        self._staff_last_input = self._last_input

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
        self._last_input = self._staff_last_input = self._clock()
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
        if self.operator is not None:
            # Staff at the desk: their own, longer time-out ends everything; no resident countdown.
            if now - self._staff_last_input >= self.staff_idle_timeout_s:
                return [Tick(SessionEvent.STAFF_TIMED_OUT), self.end("staff_idle")]
            return out
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
        self.operator = None
        return Tick(SessionEvent.ENDED)

    def identify(self, resident: Any) -> None:
        """Remember who is at the kiosk (a kiosk.residents.Resident) until the session ends."""
        self.start("identified")
        self.resident = resident

    # staff at the help desk (issue #8) ---------------------------------------------------------
    def sign_in_staff(self, operator: Any, idle_timeout_s: float | None = None) -> None:
        """A staff member signed in (an Operator); their idle clock starts now."""
        if idle_timeout_s is not None:
            self.staff_idle_timeout_s = idle_timeout_s
        self.operator = operator
        self._last_input = self._staff_last_input = self._clock()
        if self.phase is SessionPhase.COUNTDOWN:
            self.phase = SessionPhase.ACTIVE

    def sign_out(self) -> Tick:
        """The staff member leaves: the whole session ends (a resident they served is forgotten too)."""
        return self.end("logout")

    @property
    def operator_id(self) -> str | None:
        """The signed-in staff member's id, for ``operator_id=`` on queued records; None otherwise."""
        return getattr(self.operator, "operator_id", None)

    def staff_seconds_left(self) -> int:
        """Seconds until the staff sign-in times out (0 when nobody is signed in)."""
        if self.operator is None:
            return 0
        return max(0, math.ceil(self.staff_idle_timeout_s - (self._clock() - self._staff_last_input)))
