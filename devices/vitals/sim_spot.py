"""Simulated spot-check twins: oximeter, thermometer, scale and glucose meter (GATT bytes)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from devices.base import CancelToken, PromptHandler
from devices.registry import OptionSpec
from devices.state import DeviceState
from devices.vitals import gatt, sim_gatt
from devices.vitals.base import (
    OPENING_PROMPTS,
    PROMPT_SPO2_FINGER_IN,
    PROMPT_SPO2_KEEP_STILL,
    STATE_FINGER_OUT,
    Deadline,
    FingerOut,
)
from devices.vitals.readings import GlucoseReading, SpO2Reading, TemperatureReading, WeightReading
from devices.vitals.sim import SimVitalsDevice


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class SimOximeter(SimVitalsDevice):
    """Twin of a fingertip oximeter: finger in, searching, settling, spot-check (0x2A5E)."""

    role = "spo2"
    role_faults = ("finger_out",)
    # (SpO2 %, pulse bpm); "implausible" is below what a conscious adult shows.
    VALUES = {"normal": (98, 72), "high": (99, 112), "low": (88, 64), "implausible": (42, 72)}
    SEARCHING_S = 3.0
    SETTLING_S = 5.0
    options = SimVitalsDevice.options + (
        OptionSpec("finger_out_grace_s", float, 20.0, "Finger-out time before giving up."),
    )

    def __init__(
        self, scenario: str | Sequence[str] = "normal", time_scale: float = 1.0,
        finger_out_grace_s: float = 20.0,
    ) -> None:
        super().__init__(scenario, time_scale)
        self.finger_out_grace_s = finger_out_grace_s

    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> SpO2Reading:
        if outcome == "timeout":
            self.hang(cancel, deadline)
        handler.prompt(PROMPT_SPO2_KEEP_STILL)  # the finger is in: the real driver says the same
        if outcome == "finger_out":
            self.wait(cancel, deadline, self.SEARCHING_S)
            self._set_state(DeviceState.BUSY, STATE_FINGER_OUT)
            handler.prompt(PROMPT_SPO2_FINGER_IN)
            self.wait(cancel, deadline, self.finger_out_grace_s)
            raise FingerOut(f"finger out for {self.finger_out_grace_s:g} s")
        self.wait(cancel, deadline, self.SEARCHING_S)
        dropped = outcome == "disconnect"
        self.settle(handler, cancel, deadline, self.SETTLING_S, drop_halfway=dropped)
        spo2, pulse = self.VALUES.get(outcome, self.VALUES["normal"])
        payload = sim_gatt.plx_spot_check(spo2, pulse, timestamp=_now())
        self.wire.rx(payload)
        return gatt.parse_plx_spot_check(payload)


class SimThermometer(SimVitalsDevice):
    """Twin of a forehead (about 2 s) or armpit (about 30 s) thermometer (0x2A1C)."""

    role = "thermometer"
    VALUES = {"normal": 36.5, "high": 38.6, "low": 35.2, "implausible": 47.0}
    SITES = {"forehead": (2, 2), "armpit": (1, 30)}  # site -> (GATT temperature type, seconds)
    options = SimVitalsDevice.options + (
        OptionSpec("site", str, "forehead", "forehead or armpit: what the person is asked to do."),
    )

    def __init__(
        self, scenario: str | Sequence[str] = "normal", time_scale: float = 1.0,
        site: str = "forehead",
    ) -> None:
        super().__init__(scenario, time_scale)
        if site not in self.SITES:
            raise ValueError(f"site: choose from {', '.join(self.SITES)}")
        self.site = site

    def opening_prompts(self) -> tuple[str, ...]:
        return OPENING_PROMPTS[f"thermometer.{self.site}"]

    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> TemperatureReading:
        if outcome == "timeout":
            self.hang(cancel, deadline)
        type_code, seconds = self.SITES[self.site]
        self.countdown(handler, cancel, deadline, seconds, drop_halfway=outcome == "disconnect")
        payload = sim_gatt.temperature(
            self.VALUES.get(outcome, self.VALUES["normal"]), type_code, timestamp=_now()
        )
        self.wire.rx(payload)
        return gatt.parse_temperature(payload)


class SimScale(SimVitalsDevice):
    """Twin of a body-composition scale (0x2A9D; BMI and height when ``height_m`` is set)."""

    role = "scale"
    # 320 kg still fits the 0.005 kg field but is beyond any plausible resident.
    VALUES = {"normal": 62.5, "high": 92.0, "low": 41.0, "implausible": 320.0}
    SETTLING_S = 3.0
    options = SimVitalsDevice.options + (
        OptionSpec("height_m", float, 1.62, "Height the scale reports with BMI; 0 for none."),
    )

    def __init__(
        self, scenario: str | Sequence[str] = "normal", time_scale: float = 1.0,
        height_m: float = 1.62,
    ) -> None:
        super().__init__(scenario, time_scale)
        self.height_m = height_m

    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> WeightReading:
        if outcome == "timeout":
            self.hang(cancel, deadline)
        dropped = outcome == "disconnect"
        self.settle(handler, cancel, deadline, self.SETTLING_S, drop_halfway=dropped)
        payload = sim_gatt.weight(
            self.VALUES.get(outcome, self.VALUES["normal"]),
            height_m=self.height_m or None, timestamp=_now(),
        )
        self.wire.rx(payload)
        return gatt.parse_weight(payload)


class SimGlucoseMeter(SimVitalsDevice):
    """Twin of a glucose meter: strip, blood drop, 5 s countdown, one record (0x2A18)."""

    role = "glucose"
    VALUES = {"normal": 5.4, "high": 9.8, "low": 3.2, "implausible": 40.0}
    COUNTDOWN_S = 5

    def __init__(self, scenario: str | Sequence[str] = "normal", time_scale: float = 1.0) -> None:
        super().__init__(scenario, time_scale)
        self._sequence = itertools.count(1)

    def _play(
        self, outcome: str, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> GlucoseReading:
        if outcome == "timeout":
            self.hang(cancel, deadline)
        dropped = outcome == "disconnect"
        self.countdown(handler, cancel, deadline, self.COUNTDOWN_S, drop_halfway=dropped)
        payload = sim_gatt.glucose(
            next(self._sequence), _now(), self.VALUES.get(outcome, self.VALUES["normal"])
        )
        self.wire.rx(payload)
        return gatt.parse_glucose(payload)
