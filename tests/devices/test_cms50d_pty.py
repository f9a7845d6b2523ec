"""The CMS50D+ driver over a real pseudo-terminal, with a thread playing the oximeter."""

from __future__ import annotations

import itertools
import os
import termios
import threading
import tty
from collections.abc import Iterable, Iterator

import pytest

from devices.base import CancelToken, RecordingPromptHandler
from devices.errors import Cancelled
from devices.state import DeviceState
from devices.vitals.base import (
    PROGRESS_SETTLING,
    PROMPT_SPO2_FINGER_IN,
    PROMPT_SPO2_KEEP_STILL,
    FingerOut,
    MeasurementDisconnected,
    MeasurementTimeout,
    PortUnavailable,
    ProbeError,
)
from devices.vitals.cms50d import Cms50dOximeter, encode_frame
from devices.vitals.readings import SpO2Reading

FRAME_GAP_S = 0.002  # ~8x faster than the device's 60 Hz, to keep the suite quick
HANG_GUARD_S = 10.0  # only guards against a hang; never a speed assertion


def finger_out(n: int) -> list[bytes]:
    return [encode_frame(spo2_pct=None, pulse_bpm=None, finger_out=True)] * n


def searching(n: int, spo2: int = 80) -> list[bytes]:
    return [encode_frame(spo2_pct=spo2, pulse_bpm=140, searching=True)] * n


def steady(spo2_values: Iterable[int], pulse_values: Iterable[int]) -> list[bytes]:
    return [encode_frame(spo2_pct=s, pulse_bpm=p, beat=i % 10 == 0)
            for i, (s, p) in enumerate(zip(spo2_values, pulse_values))]


class PlayingOximeter:
    """The device end of a pty: writes a script of chunks, then repeats ``then`` until stopped.

    ``hang_up_after`` closes the master after that many chunks (the port vanishes).
    """

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no line discipline before pyserial configures the port
        os.set_blocking(self.master, False)  # never block the player on a full pty buffer
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master_open = True

    def play(self, script: list[bytes], then: list[bytes] | None = None,
             hang_up_after: int | None = None) -> None:
        def chunks() -> Iterator[bytes]:
            yield from script
            if then:
                yield from itertools.cycle(then)

        def run() -> None:
            for chunk in itertools.islice(chunks(), hang_up_after):
                if self._stop.is_set():
                    return
                try:
                    os.write(self.master, chunk)
                except BlockingIOError:
                    pass  # the reader is not reading: a real device just keeps sending
                self._stop.wait(FRAME_GAP_S)
            if hang_up_after is not None:
                self._hang_up()

        self._thread = threading.Thread(target=run, name="fake-cms50d", daemon=True)
        self._thread.start()

    def _hang_up(self) -> None:
        if self._master_open:
            self._master_open = False
            os.close(self.master)

    def forget_parity(self) -> None:
        """Clear PARODD left by the last open: this kernel's pty refuses (EINVAL) a second
        PARENB|PARODD request while PARODD is still set, a pty quirk no UART has."""
        attrs = termios.tcgetattr(self._slave)
        attrs[2] &= ~termios.PARODD
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)

    def line_settings(self) -> list:
        return termios.tcgetattr(self._slave)

    def stop(self) -> None:
        """Stop playing (the line stays open; ``play`` may start a new script)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(HANG_GUARD_S)
            self._thread = None
        self._stop.clear()

    def close(self) -> None:
        self.stop()
        self._hang_up()
        os.close(self._slave)


@pytest.fixture
def oximeter():
    player = PlayingOximeter()
    yield player
    player.close()


@pytest.fixture
def driver(oximeter):
    dev = Cms50dOximeter(oximeter.path, stable_frames=8, finger_out_grace_s=0.3,
                         probe_error_frames=5, silence_s=1.0)
    yield dev
    dev.close()


def measure(dev: Cms50dOximeter, handler=None, cancel=None, timeout_s: float = 5.0):
    future = dev.measure_async(handler or RecordingPromptHandler(), cancel or CancelToken(),
                               timeout_s)
    return future.result(HANG_GUARD_S)


def test_open_sets_19200_8_data_bits_and_odd_parity_on_the_line(driver, oximeter):
    driver.open()
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = oximeter.line_settings()
    assert ispeed == ospeed == termios.B19200
    assert cflag & termios.CSIZE == termios.CS8
    assert cflag & termios.PARODD and not cflag & termios.CSTOPB
    # A Linux pty clears PARENB (it has no UART and ignores parity), so parity enable and
    # parity errors cannot be observed here; the requested setting is asserted on pyserial.
    assert driver._serial.parity == "O"
    assert driver.state.state is DeviceState.READY


def test_normal_stream_gives_median_of_stable_window_and_prompts_in_order(driver, oximeter):
    driver.open()
    spo2 = [97, 98, 97, 96, 98, 97, 97, 98]
    oximeter.play([], then=steady(spo2, [71, 72, 73, 72, 70, 72, 74, 72]))
    handler = RecordingPromptHandler()
    reading = measure(driver, handler)
    assert isinstance(reading, SpO2Reading)
    assert reading.spo2_pct == 97 and 70 <= reading.pulse_bpm <= 74
    assert handler.keys("prompt") == [PROMPT_SPO2_FINGER_IN, PROMPT_SPO2_KEEP_STILL]
    fractions = [p["fraction"] for t, k, p in handler.events if k == PROGRESS_SETTLING]
    assert fractions[-1] == 1.0
    assert driver.state.state is DeviceState.READY


def test_values_shown_while_searching_are_never_the_result(driver, oximeter):
    driver.open()
    oximeter.play(finger_out(5) + searching(30, spo2=82), then=steady([95] * 8, [64] * 8))
    reading = measure(driver)
    assert (reading.spo2_pct, reading.pulse_bpm) == (95, 64)


def test_garbage_and_cut_frames_are_skipped(driver, oximeter):
    driver.open()
    good = steady([96] * 4, [80] * 4)
    cut = encode_frame(spo2_pct=60, pulse_bpm=200)[:2]
    noise = bytes([0x01, 0x7F, 0x55, 0x00])
    oximeter.play([noise, good[0], cut, good[1], noise], then=[good[2], cut, good[3], noise])
    reading = measure(driver)
    assert (reading.spo2_pct, reading.pulse_bpm) == (96, 80)


def test_invalid_127_and_255_markers_break_the_stable_window(driver, oximeter):
    driver.open()
    invalid = [encode_frame(spo2_pct=None, pulse_bpm=75), encode_frame(spo2_pct=97, pulse_bpm=None)]
    # every 4th frame is invalid, so 8 consecutive valid frames never happen
    oximeter.play([], then=steady([97] * 3, [75] * 3) + invalid[:1] + steady([97] * 3, [75] * 3)
                  + invalid[1:])
    with pytest.raises(MeasurementTimeout) as err:
        measure(driver, timeout_s=0.5)
    assert err.value.key == "vitals.error.timeout"


def test_unsteady_values_do_not_count_as_stable(driver, oximeter):
    driver.open()
    oximeter.play([], then=steady([90, 97, 92, 99], [70, 71, 70, 71]))
    with pytest.raises(MeasurementTimeout):
        measure(driver, timeout_s=0.5)


def test_finger_never_in_raises_finger_out_and_device_stays_ready(driver, oximeter):
    driver.open()
    oximeter.play([], then=finger_out(1))
    with pytest.raises(FingerOut) as err:
        measure(driver)
    assert err.value.key == "vitals.error.finger_out"
    assert driver.state.report.state is DeviceState.READY
    assert driver.state.report.reason_key == "vitals.error.finger_out"


def test_finger_pulled_out_mid_measurement_is_asked_back_in(driver, oximeter):
    driver.open()
    states: list[tuple[DeviceState, str]] = []
    driver.state.subscribe(lambda r: states.append((r.state, r.reason_key)))
    oximeter.play(steady([98] * 4, [70] * 4) + finger_out(20) + searching(5),
                  then=steady([98] * 8, [70] * 8))
    handler = RecordingPromptHandler()
    reading = measure(driver, handler)
    assert reading.spo2_pct == 98
    assert handler.keys("prompt") == [
        PROMPT_SPO2_FINGER_IN, PROMPT_SPO2_KEEP_STILL, PROMPT_SPO2_FINGER_IN]
    assert (DeviceState.BUSY, "vitals.state.finger_out") in states
    assert states[-1] == (DeviceState.READY, "vitals.state.ready")


def test_probe_error_raises_with_key_and_sets_error_state(driver, oximeter):
    driver.open()
    oximeter.play(steady([97] * 3, [70] * 3),
                  then=[encode_frame(spo2_pct=None, pulse_bpm=None, probe_error=True)])
    with pytest.raises(ProbeError) as err:
        measure(driver)
    assert err.value.key == "vitals.error.probe_error"
    assert driver.state.report.state is DeviceState.ERROR
    assert driver.state.report.reason_key == "vitals.error.probe_error"


def test_port_closed_mid_measurement_raises_disconnected(driver, oximeter):
    driver.open()
    oximeter.play([], then=searching(1), hang_up_after=10)
    with pytest.raises(MeasurementDisconnected) as err:
        measure(driver)
    assert err.value.key == "vitals.error.disconnected"
    assert driver.state.report == driver.state.report.__class__(
        DeviceState.ERROR, "vitals.error.disconnected")


def test_silent_line_counts_as_disconnected(oximeter):
    dev = Cms50dOximeter(oximeter.path, silence_s=0.3)
    try:
        dev.open()
        with pytest.raises(MeasurementDisconnected) as err:
            measure(dev, timeout_s=5.0)
        assert "no data" in str(err.value)
    finally:
        dev.close()


def test_cancel_mid_measurement_raises_cancelled_and_returns_to_ready(driver, oximeter):
    driver.open()
    cancel = CancelToken()

    class CancelOnFirstProgress(RecordingPromptHandler):
        def progress(self, key, fraction=None, **params):
            super().progress(key, fraction, **params)
            cancel.cancel()

    # unsteady values keep it measuring forever; the first settling progress cancels
    oximeter.play([], then=steady([90, 97, 92, 99], [70, 71, 70, 71]))
    with pytest.raises(Cancelled):
        measure(driver, CancelOnFirstProgress(), cancel, timeout_s=60.0)
    assert driver.state.state is DeviceState.READY


def test_reopens_after_an_error_and_measures_again(driver, oximeter):
    driver.open()
    oximeter.play(searching(1), then=searching(1))
    with pytest.raises(MeasurementTimeout):
        measure(driver, timeout_s=0.3)
    assert driver.state.state is DeviceState.ERROR
    oximeter.stop()
    oximeter.forget_parity()
    oximeter.play([], then=steady([99] * 8, [60] * 8))
    assert measure(driver).spo2_pct == 99
    assert driver.state.state is DeviceState.READY

def test_missing_port_fails_open_with_port_unavailable(tmp_path):
    dev = Cms50dOximeter(str(tmp_path / "no-such-tty"))
    try:
        with pytest.raises(PortUnavailable) as err:
            dev.open()
        assert err.value.key == "vitals.error.port_unavailable"
        assert dev.state.report.state is DeviceState.ERROR
    finally:
        dev.close()


def test_close_stops_the_port_worker(oximeter):
    dev = Cms50dOximeter(oximeter.path)
    dev.open()
    worker = dev.worker
    assert worker.alive
    dev.close()
    dev.close()  # idempotent
    assert not worker.alive
    assert dev.state.state is DeviceState.DISCONNECTED
