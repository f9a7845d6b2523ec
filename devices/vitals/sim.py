"""Simulated vitals twins: scripted outcomes, fault injection and a scalable clock."""

from __future__ import annotations

import abc
import math
import threading
from collections.abc import Sequence
from typing import ClassVar, NoReturn

from devices.base import CancelToken, PromptHandler
from devices.registry import OptionSpec
from devices.vitals.base import (
    CAP_LIVE_PROGRESS,
    CAP_SIMULATED,
    OPENING_PROMPTS,
    PROGRESS_COUNTDOWN,
    PROGRESS_SETTLING,
    Deadline,
    MeasurementDisconnected,
    VitalsDevice,
)
from devices.vitals.readings import Reading

VALUE_SCENARIOS = ("normal", "high", "low")
COMMON_FAULTS = ("timeout", "disconnect", "implausible")
# Seconds a person needs after each opening prompt before the device starts.
PROMPT_PAUSE_S = 1.0
SETTLE_STEP_S = 0.5


def parse_scenario(scenario: str | Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """The scripted outcomes of ``scenario`` (one name or a list); ValueError names bad ones."""
    script = (scenario,) if isinstance(scenario, str) else tuple(scenario)
    if not script:
        raise ValueError("scenario: give at least one outcome")
    unknown = [s for s in script if s not in allowed]
    if unknown:
        raise ValueError(
            f"scenario: unknown outcome(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(allowed)}"
        )
    return script


class SimVitalsDevice(VitalsDevice):
    """Base of the twins. Each measurement takes the next outcome of the script (cycling).

    ``time_scale`` multiplies every duration, the caller's time-out included (0.01 runs a
    30 s blood-pressure measurement in 0.3 s). Readings are encoded to GATT bytes and decoded
    by the real parsers, then pass the same plausibility gate as real drivers.
    """

    capabilities = frozenset({CAP_LIVE_PROGRESS, CAP_SIMULATED})
    driver_id = "sim"
    role_faults: ClassVar[tuple[str, ...]] = ()
    options = (
        OptionSpec(
            "scenario", object, "normal",
            "normal, high, low, a fault (timeout, disconnect, implausible, and per role "
            "cuff_error, body_movement, finger_out) or a list of these played in turn.",
        ),
        OptionSpec("time_scale", float, 1.0, "Multiplies every duration; 0.01 for fast tests."),
    )

    def __init__(self, scenario: str | Sequence[str] = "normal", time_scale: float = 1.0) -> None:
        super().__init__()
        if not (isinstance(time_scale, (int, float)) and 0 < time_scale < math.inf):
            raise ValueError("time_scale: must be a positive number")
        self.script = parse_scenario(scenario, VALUE_SCENARIOS + COMMON_FAULTS + self.role_faults)
        self.time_scale = float(time_scale)
        self._turn = 0
        self._turn_lock = threading.Lock()
        self._connected = False

    def next_outcome(self) -> str:
        with self._turn_lock:
            outcome = self.script[self._turn % len(self.script)]
            self._turn += 1
            return outcome

    def _connect(self) -> None:
        self._connected = True
        self.wire.note(f"simulated {self.role}: script {', '.join(self.script)}")

    def _disconnect(self) -> None:
        self._connected = False

    def _deadline(self, timeout_s: float) -> Deadline:
        return Deadline(timeout_s * self.time_scale)

    def wait(self, cancel: CancelToken, deadline: Deadline, seconds: float) -> None:
        """Sleep ``seconds`` of simulated time (cancellable, bounded by the deadline)."""
        deadline.sleep(cancel, seconds * self.time_scale)

    def hang(self, cancel: CancelToken, deadline: Deadline) -> NoReturn:
        """A device that never answers: wait for the deadline (MeasurementTimeout)."""
        deadline.sleep(cancel, math.inf)

    def countdown(
        self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline, seconds: int,
        *, drop_halfway: bool = False,
    ) -> None:
        """Report ``vitals.progress.countdown`` once a simulated second (seconds_left)."""
        for left in range(seconds, 0, -1):
            if drop_halfway and left == seconds // 2:
                self.disconnect_now()
            handler.progress(PROGRESS_COUNTDOWN, 1 - left / seconds, seconds_left=left)
            self.wait(cancel, deadline, 1.0)
        handler.progress(PROGRESS_COUNTDOWN, 1.0, seconds_left=0)

    def settle(
        self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline, seconds: float,
        *, drop_halfway: bool = False,
    ) -> None:
        """Report ``vitals.progress.settling`` twice a simulated second until the value holds."""
        steps = max(1, round(seconds / SETTLE_STEP_S))
        for step in range(1, steps + 1):
            if drop_halfway and step == steps // 2:
                self.disconnect_now()
            self.wait(cancel, deadline, SETTLE_STEP_S)
            handler.progress(PROGRESS_SETTLING, step / steps)

    def opening_prompts(self) -> tuple[str, ...]:
        return OPENING_PROMPTS[self.role]

    def _measure(self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline) -> Reading:
        outcome = self.next_outcome()
        self.wire.note(f"outcome {outcome}")
        for key in self.opening_prompts():
            handler.prompt(key)
            self.wait(cancel, deadline, PROMPT_PAUSE_S)
        return self._play(outcome, handler, cancel, deadline)

    @abc.abstractmethod
    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> Reading:
        """Act out one outcome after the opening prompts; returns the decoded reading.

        Runs on the device's worker thread; raises what the real device would make the
        driver raise (MeasurementTimeout, MeasurementDisconnected, CuffTooLoose...).
        """

    def disconnect_now(self) -> NoReturn:
        """The twin's link drops: raise as a real transport would mid-measurement."""
        self._connected = False
        raise MeasurementDisconnected("simulated link dropped mid-measurement")

