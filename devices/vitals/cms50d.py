"""Contec CMS50D+ style serial oximeter (older firmware) on pyserial; frames in cms50d_frames."""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import serial

from devices.base import CancelToken, PromptHandler
from devices.registry import OptionSpec
from devices.state import DeviceState
from devices.vitals.base import (
    CAP_LIVE_PROGRESS,
    OPENING_PROMPTS,
    PROGRESS_SETTLING,
    PROMPT_SPO2_FINGER_IN,
    PROMPT_SPO2_KEEP_STILL,
    STATE_FINGER_OUT,
    STATE_MEASURING,
    Deadline,
    FingerOut,
    MeasurementDisconnected,
    MeasurementTimeout,
    PortUnavailable,
    ProbeError,
    VitalsDevice,
)
from devices.vitals.cms50d_frames import (
    Cms50Frame,
    FrameAssembler,
    encode_frame,
    parse_frame,
)
from devices.vitals.readings import SpO2Reading

BAUDRATE = 19200

try:
    import termios

    # pyserial lets termios.error (not an OSError) escape when the kernel refuses the settings.
    _OPEN_ERRORS: tuple[type[BaseException], ...] = (
        serial.SerialException, OSError, ValueError, termios.error,
    )
except ImportError:  # Windows has no termios
    _OPEN_ERRORS = (serial.SerialException, OSError, ValueError)


class Cms50dOximeter(VitalsDevice):
    """CMS50D+ on a (USB-)serial port: streams live frames at ~60 Hz without being asked.

    Waits for the finger, for the searching phase to end and for ``stable_frames`` consecutive
    valid frames that agree within the tolerances; returns their median SpO2 and pulse.
    """

    role = "spo2"
    driver_id = "cms50d"
    capabilities = frozenset({CAP_LIVE_PROGRESS})
    options = (
        OptionSpec("port", str, "", "Serial port, e.g. /dev/ttyUSB0 or COM3."),
        OptionSpec("stable_frames", int, 8, "Consecutive agreeing valid frames for a result."),
        OptionSpec("spo2_tolerance_pct", int, 2, "Largest SpO2 spread inside the stable window."),
        OptionSpec("pulse_tolerance_bpm", int, 10, "Largest pulse spread in the stable window."),
        OptionSpec("finger_out_grace_s", float, 20.0, "Finger-out time before giving up."),
        OptionSpec("probe_error_frames", int, 30, "Consecutive probe-error frames before failing."),
        OptionSpec("silence_s", float, 3.0, "No bytes this long means the oximeter is gone."),
    )

    def __init__(
        self,
        port: str = "",
        *,
        stable_frames: int = 8,
        spo2_tolerance_pct: int = 2,
        pulse_tolerance_bpm: int = 10,
        finger_out_grace_s: float = 20.0,
        probe_error_frames: int = 30,
        silence_s: float = 3.0,
        read_timeout_s: float = 0.05,
    ) -> None:
        super().__init__()
        if stable_frames < 1:
            raise ValueError("stable_frames must be at least 1")
        self.port = port
        self.stable_frames = stable_frames
        self.spo2_tolerance_pct = spo2_tolerance_pct
        self.pulse_tolerance_bpm = pulse_tolerance_bpm
        self.finger_out_grace_s = finger_out_grace_s
        self.probe_error_frames = probe_error_frames
        self.silence_s = silence_s
        self.read_timeout_s = read_timeout_s
        self._serial: serial.Serial | None = None

    def _connect(self) -> None:
        self._disconnect()
        if not self.port:
            raise PortUnavailable("no port configured", port="")
        try:
            # 8 data bits, odd parity, 1 stop bit: the CMS50D+ line settings. (A pseudo-terminal
            # accepts but ignores parity, so tests over a pty cannot exercise parity errors.)
            self._serial = serial.Serial(
                self.port, BAUDRATE, bytesize=serial.EIGHTBITS, parity=serial.PARITY_ODD,
                stopbits=serial.STOPBITS_ONE, timeout=self.read_timeout_s,
            )
        except _OPEN_ERRORS as exc:
            raise PortUnavailable(f"cannot open {self.port}: {exc}", port=self.port) from exc
        self.wire.note(f"opened {self.port} {BAUDRATE} 8O1")

    def _disconnect(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass  # the port is already gone; closing is best effort

    def _read(self) -> bytes:
        if self._serial is None:
            raise MeasurementDisconnected("port is closed")
        try:
            data = self._serial.read(self._serial.in_waiting or 1)
        except (serial.SerialException, OSError, TypeError) as exc:
            # pyserial raises SerialException (EIO) when the far end of the line vanishes;
            # TypeError comes from pyserial when the port is closed under a pending read.
            raise MeasurementDisconnected(f"read failed: {exc}") from exc
        if data:
            self.wire.rx(data)
        return data

    def _stable(self, window: list[Cms50Frame]) -> bool:
        spo2 = [f.spo2_pct for f in window if f.spo2_pct is not None]
        pulse = [f.pulse_bpm for f in window if f.pulse_bpm is not None]
        return (
            max(spo2) - min(spo2) <= self.spo2_tolerance_pct
            and max(pulse) - min(pulse) <= self.pulse_tolerance_bpm
        )

    def _measure(
        self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline
    ) -> SpO2Reading:
        for key in OPENING_PROMPTS["spo2"]:
            handler.prompt(key)
        try:
            if self._serial is not None:
                self._serial.reset_input_buffer()  # frames queued before the prompt are stale
        except _OPEN_ERRORS as exc:
            raise MeasurementDisconnected(f"port unusable: {exc}") from exc
        assembler = FrameAssembler()
        window: list[Cms50Frame] = []
        finger_seen = False
        finger_out_since: float | None = time.monotonic()  # no finger until a frame says so
        last_finger_out = False
        probe_errors = 0
        last_fraction = -1.0
        last_data = time.monotonic()
        while True:
            cancel.raise_if_cancelled()
            now = time.monotonic()
            if deadline.expired:
                if last_finger_out:
                    raise FingerOut("finger out when the time-out ran out")
                raise MeasurementTimeout(f"no stable reading within {deadline.timeout_s:g} s")
            data = self._read()
            if not data:
                if now - last_data > self.silence_s:
                    raise MeasurementDisconnected(f"no data for {self.silence_s:g} s")
                continue
            last_data = now
            for frame in assembler.feed(data):
                if frame.probe_error:
                    window.clear()
                    probe_errors += 1
                    if probe_errors >= self.probe_error_frames:
                        raise ProbeError("oximeter reports a probe error")
                    continue
                probe_errors = 0
                last_finger_out = frame.finger_out
                if frame.finger_out:
                    window.clear()
                    if finger_out_since is None:
                        finger_out_since = now
                        self._set_state(DeviceState.BUSY, STATE_FINGER_OUT)
                        handler.prompt(PROMPT_SPO2_FINGER_IN)
                    elif now - finger_out_since > self.finger_out_grace_s:
                        raise FingerOut(f"finger out for {self.finger_out_grace_s:g} s")
                    continue
                if finger_out_since is not None:
                    finger_out_since = None
                    self._set_state(DeviceState.BUSY, STATE_MEASURING)
                    if not finger_seen:
                        finger_seen = True
                        handler.prompt(PROMPT_SPO2_KEEP_STILL)
                if not frame.valid:  # searching, or SpO2 127 / pulse 255 markers
                    window.clear()
                    continue
                window.append(frame)
                while not self._stable(window):
                    window.pop(0)
                fraction = len(window) / self.stable_frames
                if fraction != last_fraction:  # frames come at 60 Hz: report changes only
                    last_fraction = fraction
                    handler.progress(PROGRESS_SETTLING, fraction)
                if len(window) >= self.stable_frames:
                    return self._reading(window)

    @staticmethod
    def _reading(window: list[Cms50Frame]) -> SpO2Reading:
        # median_low keeps a value the oximeter actually showed (no half percent).
        spo2 = [f.spo2_pct for f in window if f.spo2_pct is not None]
        pulse = [f.pulse_bpm for f in window if f.pulse_bpm is not None]
        return SpO2Reading(
            spo2_pct=float(statistics.median_low(spo2)),
            pulse_bpm=float(statistics.median_low(pulse)),
            timestamp=datetime.now(),
        )


__all__ = ["Cms50Frame", "Cms50dOximeter", "FrameAssembler", "encode_frame", "parse_frame"]
