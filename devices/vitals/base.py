"""Abstract vitals device: measure with prompts, one state, plausibility gate, keyed errors."""

from __future__ import annotations

import abc
import concurrent.futures
import threading
import time
from typing import ClassVar

from devices.base import CancelToken, Driver, PortWorker, PromptHandler
from devices.errors import (
    Cancelled,
    DeviceDisconnected,
    DeviceError,
    DeviceTimeout,
    DeviceUnavailable,
    ImplausibleValue,
    InvalidMeasurement,
    ProtocolError,
)
from devices.messages import N_
from devices.registry import OptionSpec
from devices.state import DeviceState
from devices.vitals.readings import BloodPressureStatus, Reading, validate_plausible

VITALS_ROLES = ("bp", "spo2", "thermometer", "scale", "glucose")

# Capabilities a vitals driver may declare.
CAP_LIVE_PROGRESS = "live_progress"  # reports progress (cuff pressure, countdown) while measuring
CAP_STORED_RECORDS = "stored_records"  # can hand over records measured earlier (meters)
CAP_SIMULATED = "simulated"  # a twin, not hardware

# Prompts the handler receives, in the order devices ask for them.
PROMPT_BP_CUFF_ON = N_("vitals.prompt.bp.cuff_on")
PROMPT_BP_SIT_STILL = N_("vitals.prompt.bp.sit_still")
PROMPT_SPO2_FINGER_IN = N_("vitals.prompt.spo2.finger_in")
PROMPT_SPO2_KEEP_STILL = N_("vitals.prompt.spo2.keep_still")
PROMPT_SCALE_STEP_ON = N_("vitals.prompt.scale.step_on")
PROMPT_THERMOMETER_FOREHEAD = N_("vitals.prompt.thermometer.forehead")
PROMPT_THERMOMETER_ARMPIT = N_("vitals.prompt.thermometer.armpit")
PROMPT_GLUCOSE_STRIP = N_("vitals.prompt.glucose.strip")
PROMPT_GLUCOSE_BLOOD = N_("vitals.prompt.glucose.blood")

# Progress keys: cuff pressure (cuff_mmhg, fraction), countdown (seconds_left), settling (fraction).
PROGRESS_CUFF_PRESSURE = N_("vitals.progress.cuff_pressure")
PROGRESS_COUNTDOWN = N_("vitals.progress.countdown")
PROGRESS_SETTLING = N_("vitals.progress.settling")

# State reasons.
STATE_CONNECTING = N_("vitals.state.connecting")
STATE_READY = N_("vitals.state.ready")
STATE_MEASURING = N_("vitals.state.measuring")
STATE_FINGER_OUT = N_("vitals.state.finger_out")
STATE_CLOSED = N_("vitals.state.closed")


class MeasurementTimeout(DeviceTimeout):
    """No result within the caller's time-out."""

    key = N_("vitals.error.timeout")


class MeasurementDisconnected(DeviceDisconnected):
    """The device or its port went away during a measurement."""

    key = N_("vitals.error.disconnected")


class PortUnavailable(DeviceUnavailable):
    """The configured port cannot be opened (absent, busy, no permission)."""

    key = N_("vitals.error.port_unavailable")


class CuffTooLoose(InvalidMeasurement):
    """The blood-pressure monitor reported a loose cuff."""

    key = N_("vitals.error.cuff_too_loose")


class BodyMovement(InvalidMeasurement):
    """The monitor detected movement during the measurement."""

    key = N_("vitals.error.body_movement")


class ImproperPosition(InvalidMeasurement):
    """The cuff or arm was not at the right height."""

    key = N_("vitals.error.improper_position")


class FingerOut(InvalidMeasurement):
    """No finger in the oximeter for too long."""

    key = N_("vitals.error.finger_out")


class ProbeError(DeviceError):
    """The oximeter reports a faulty or unplugged probe."""

    key = N_("vitals.error.probe_error")


# Faults of the device itself: the driver goes to ERROR and reopens before the next measurement.
# Other DeviceErrors concern the measurement (loose cuff, movement): the device stays READY.
DEVICE_FAULTS: tuple[type[DeviceError], ...] = (
    DeviceTimeout, DeviceDisconnected, DeviceUnavailable, ProbeError, ProtocolError,
)

# The opening prompts of each role, in order; every driver and twin of a role uses these.
OPENING_PROMPTS: dict[str, tuple[str, ...]] = {
    "bp": (PROMPT_BP_CUFF_ON, PROMPT_BP_SIT_STILL),
    "spo2": (PROMPT_SPO2_FINGER_IN,),
    "scale": (PROMPT_SCALE_STEP_ON,),
    "thermometer.forehead": (PROMPT_THERMOMETER_FOREHEAD,),
    "thermometer.armpit": (PROMPT_THERMOMETER_ARMPIT,),
    "glucose": (PROMPT_GLUCOSE_STRIP, PROMPT_GLUCOSE_BLOOD),
}


def check_bp_status(status: BloodPressureStatus | None) -> None:
    """Raise the error a 0x2A35 status asks for (movement, loose cuff, position); else nothing."""
    if status is None:
        return
    if status.cuff_too_loose:
        raise CuffTooLoose("monitor status: cuff too loose")
    if status.body_movement:
        raise BodyMovement("monitor status: body movement")
    if status.improper_position:
        raise ImproperPosition("monitor status: improper measurement position")


class Deadline:
    """A point in time a measurement must finish by; sleeps that honour cancellation."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._end = time.monotonic() + timeout_s

    def remaining_s(self) -> float:
        return max(0.0, self._end - time.monotonic())

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._end

    def check(self, cancel: CancelToken) -> None:
        """Raise Cancelled or MeasurementTimeout when either has happened."""
        cancel.raise_if_cancelled()
        if self.expired:
            raise MeasurementTimeout(f"no result within {self.timeout_s:g} s")

    def sleep(self, cancel: CancelToken, seconds: float) -> None:
        """Wait ``seconds``; raise Cancelled at once on cancel, MeasurementTimeout at the end."""
        remaining = self.remaining_s()
        if cancel.wait(min(seconds, remaining)):
            raise Cancelled("measurement cancelled")
        if seconds >= remaining:
            raise MeasurementTimeout(f"no result within {self.timeout_s:g} s")


class VitalsDevice(Driver):
    """Base of blood-pressure monitors, oximeters, thermometers, scales and glucose meters.

    Subclasses implement ``_connect``, ``_disconnect`` and ``_measure``; this class owns the
    state machine (connecting, ready, busy, error), the port worker, the plausibility gate and
    the translation of transport failures into keyed DeviceErrors.
    """

    options: ClassVar[tuple[OptionSpec, ...]] = ()
    default_timeout_s: ClassVar[float] = 90.0

    def __init__(self) -> None:
        super().__init__()
        self._worker: PortWorker | None = None
        self._worker_lock = threading.Lock()

    # -- subclass contract -------------------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> None:
        """Open the transport. Runs on the caller's (worker) thread; raises DeviceError."""

    @abc.abstractmethod
    def _disconnect(self) -> None:
        """Release the transport; idempotent, never raises."""

    @abc.abstractmethod
    def _measure(self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline) -> Reading:
        """Take one measurement and return the decoded reading (plausibility is checked after).

        Runs on the device's worker thread. Sends the role's opening prompts and any progress
        through ``handler``; checks ``cancel`` and ``deadline`` between I/O steps. Raises
        Cancelled, MeasurementTimeout, MeasurementDisconnected or another DeviceError subclass.
        """

    def _deadline(self, timeout_s: float) -> Deadline:
        """The measurement's deadline; twins with a faster clock scale it."""
        return Deadline(timeout_s)

    # -- public API ----------------------------------------------------------------------
    def open(self) -> None:
        """Connect (blocking). Sets CONNECTING, then READY or ERROR with the error's key."""
        self._set_state(DeviceState.CONNECTING, STATE_CONNECTING)
        try:
            self._connect()
        except DeviceError as exc:
            self._fail(exc)
            raise
        except OSError as exc:
            err = PortUnavailable(f"cannot connect: {exc}", reason=str(exc.strerror or exc))
            self._fail(err)
            raise err from exc
        self._set_state(DeviceState.READY, STATE_READY)

    def close(self) -> None:
        """Release the device and stop its worker; idempotent. Sets DISCONNECTED.

        Cancel a running measurement first: this joins the worker (up to 5 s).
        """
        try:
            self._disconnect()
        finally:
            self._set_state(DeviceState.DISCONNECTED, STATE_CLOSED)
            with self._worker_lock:
                worker, self._worker = self._worker, None
            if worker is not None:
                worker.close()

    def measure(
        self, handler: PromptHandler, cancel: CancelToken, timeout_s: float | None = None
    ) -> Reading:
        """Take one plausible reading (blocking; never call from the UI thread).

        Opens the device first when it is disconnected or in error. Returns only readings
        that passed ``validate_plausible``. Raises Cancelled (state back to READY), a device
        fault (state ERROR with the key: time-out, disconnected, probe error...) or a
        measurement error (state READY: cuff too loose, body movement, finger out, implausible).
        """
        if self.state.state in (DeviceState.DISCONNECTED, DeviceState.ERROR):
            self.open()
        deadline = self._deadline(self.default_timeout_s if timeout_s is None else timeout_s)
        self._set_state(DeviceState.BUSY, STATE_MEASURING)
        try:
            cancel.raise_if_cancelled()
            reading = self._measure(handler, cancel, deadline)
            validate_plausible(reading)
        except Cancelled:
            self._set_state(DeviceState.READY, STATE_READY)
            raise
        except DeviceError as exc:
            self._fail(exc)
            raise
        except OSError as exc:  # a transport that died under us (EIO on a vanished port)
            err = MeasurementDisconnected(f"transport failed: {exc}")
            self._fail(err)
            raise err from exc
        self._set_state(DeviceState.READY, STATE_READY)
        return reading

    def measure_async(
        self, handler: PromptHandler, cancel: CancelToken, timeout_s: float | None = None
    ) -> concurrent.futures.Future[Reading]:
        """Run ``measure`` on this device's PortWorker; returns at once (UI-thread safe)."""
        return self.worker.submit(lambda: self.measure(handler, cancel, timeout_s))

    @property
    def worker(self) -> PortWorker:
        """The one worker thread for this device's port, started on first use."""
        with self._worker_lock:
            if self._worker is None:
                self._worker = PortWorker(f"{self.role}.{self.driver_id}")
            return self._worker

    def _fail(self, exc: DeviceError) -> None:
        if isinstance(exc, DEVICE_FAULTS):
            self._disconnect()
            self._set_state(DeviceState.ERROR, exc.key, **exc.params)
        else:
            self._set_state(DeviceState.READY, exc.key, **exc.params)


__all__ = [
    "VITALS_ROLES", "VitalsDevice", "Deadline", "check_bp_status", "OPENING_PROMPTS",
    "MeasurementTimeout", "MeasurementDisconnected", "PortUnavailable", "CuffTooLoose",
    "BodyMovement", "ImproperPosition", "FingerOut", "ProbeError", "ImplausibleValue",
]
