"""Camera scanner loop with image-list and real OpenCV video sources through the real decoders."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from devices.scanner import synthetic as syn
from devices.scanner.camera import CameraScanner
from devices.scanner.frames import ImageListSource
from devices.state import DeviceState

DEADLINE_S = 20.0  # only bounds a failing test; nothing here asserts on speed


class SimClock:
    """Simulated time: the scanner's waits advance it instead of sleeping."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now_s = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self.now_s

    def wait(self, token, delay_s: float) -> bool:
        with self._lock:
            self.now_s += delay_s
            self.waits.append(delay_s)
        time.sleep(0.0005)  # let the test thread run
        return token.cancelled


class RecordingSource(ImageListSource):
    """Image list that notes the simulated time of every read."""

    def __init__(self, clock: SimClock, images, **kw) -> None:
        super().__init__(images, **kw)
        self.clock = clock
        self.read_times_s: list[float] = []

    def read(self):
        self.read_times_s.append(self.clock())
        return super().read()


def code(payload: str) -> np.ndarray:
    return syn.on_canvas(syn.qr_image(payload, 4), 640, 480)


BLANK = np.full((480, 640), 200, dtype=np.uint8)


@pytest.fixture
def scanners():
    made: list[CameraScanner] = []
    yield made
    for scanner in made:
        scanner.close()
    assert not any(s.running for s in made)


def make(scanners, source, clock=None, **kw) -> CameraScanner:
    clock = clock or SimClock()
    scanner = CameraScanner(decoder=kw.pop("decoder", "zxing"), frame_source=source,
                            clock=clock, wait=clock.wait, **kw)
    scanners.append(scanner)
    return scanner


def collect(scanner):
    got: list = []
    done = threading.Event()
    scanner.subscribe(lambda r: (got.append(r), done.set()))
    return got, done


def wait_until(predicate) -> None:
    end = time.monotonic() + DEADLINE_S
    while not predicate():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.005)


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_image_list_is_decoded_in_order_through_the_real_decoder(scanners, backend):
    source = ImageListSource([code("FIRST-1"), BLANK, code("SECOND-2")])
    scanner = make(scanners, source, decoder=backend)
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: len(got) >= 2 and scanner.frames_decoded >= 3)
    assert [(r.payload, r.source) for r in got] == [("FIRST-1", backend), ("SECOND-2", backend)]
    assert scanner.state.state is DeviceState.READY


def test_frames_are_read_no_faster_than_max_fps(scanners):
    clock = SimClock()
    source = RecordingSource(clock, [BLANK] * 12)
    scanner = make(scanners, source, clock, max_fps=15.0)
    scanner.open()
    wait_until(lambda: source.frames_read >= 12)
    gaps = np.diff(source.read_times_s[:12])
    assert min(gaps) >= 1 / 15 - 1e-9
    assert max(gaps) < 1 / 15 + 1e-6  # and not slower than needed on a simulated clock


def test_lower_max_fps_spaces_reads_further(scanners):
    clock = SimClock()
    source = RecordingSource(clock, [BLANK] * 6)
    scanner = make(scanners, source, clock, max_fps=4.0)
    scanner.open()
    wait_until(lambda: source.frames_read >= 6)
    assert min(np.diff(source.read_times_s[:6])) >= 0.25 - 1e-9


def test_code_held_in_view_for_two_seconds_is_delivered_once(scanners):
    frames = [code("HELD-CODE")] * 30  # 2 s at 15 frames/s
    scanner = make(scanners, ImageListSource(frames), max_fps=15.0)
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: scanner.frames_decoded >= 30)
    assert [r.payload for r in got] == ["HELD-CODE"]


def test_code_shown_again_after_two_seconds_away_is_delivered_again(scanners):
    frames = [code("AGAIN")] + [BLANK] * 31 + [code("AGAIN")]  # ~2.1 s apart at 15 frames/s
    scanner = make(scanners, ImageListSource(frames), max_fps=15.0)
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: scanner.frames_decoded >= len(frames))
    assert [r.payload for r in got] == ["AGAIN", "AGAIN"]


def test_code_shown_again_within_two_seconds_is_dropped(scanners):
    frames = [code("AGAIN")] + [BLANK] * 20 + [code("AGAIN")]  # ~1.4 s apart
    scanner = make(scanners, ImageListSource(frames), max_fps=15.0)
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: scanner.frames_decoded >= len(frames))
    assert [r.payload for r in got] == ["AGAIN"]


def test_camera_loss_is_an_error_state_then_retried_with_backoff_until_it_returns(scanners):
    clock = SimClock()
    source = ImageListSource([code("BEFORE")] * 2 + [code("AFTER")], lose_after=2, fail_opens=2)
    scanner = make(scanners, source, clock, retry_initial_s=0.5, retry_max_s=8.0)
    states = []
    scanner.state.subscribe(lambda report: states.append((report.state, report.reason_key)))
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: [r.payload for r in got] == ["BEFORE", "AFTER"])
    assert (DeviceState.ERROR, "scanner.camera_lost") in states
    lost_at = states.index((DeviceState.ERROR, "scanner.camera_lost"))
    assert (DeviceState.ERROR, "scanner.camera_not_found") in states[lost_at:]
    assert states[-1] == (DeviceState.READY, "scanner.ready")
    assert source.opens == 4  # first open, two failed reopens, one that works
    backoffs = [w for w in clock.waits if w in (0.5, 1.0, 2.0)]
    assert backoffs[:3] == [0.5, 1.0, 2.0]


def test_stop_returns_and_ends_the_worker_while_frames_keep_coming(scanners):
    source = ImageListSource([code("LOOPING")], loop=True)
    scanner = CameraScanner(decoder="zxing", frame_source=source, max_fps=30.0)
    scanners.append(scanner)
    got, done = collect(scanner)
    scanner.open()
    assert done.wait(DEADLINE_S)
    scanner.stop()
    assert not scanner.running
    assert scanner.state.state is DeviceState.DISCONNECTED


def test_a_failing_listener_does_not_stop_delivery_to_others(scanners):
    scanner = make(scanners, ImageListSource([code("ONE"), code("TWO")]))
    scanner.subscribe(lambda r: 1 / 0)
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: len(got) == 2)
    assert [r.payload for r in got] == ["ONE", "TWO"]


def test_opencv_capture_of_a_video_file_decodes_then_reports_loss_at_its_end(scanners, tmp_path):
    path = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15, (640, 480), False)
    for frame in [BLANK, code("FROM-VIDEO"), code("FROM-VIDEO"), BLANK]:
        writer.write(frame)
    writer.release()
    clock = SimClock()
    scanner = CameraScanner(device=str(path), decoder="zxing", clock=clock, wait=clock.wait)
    scanners.append(scanner)
    states = []
    scanner.state.subscribe(lambda report: states.append((report.state, report.reason_key)))
    got, _ = collect(scanner)
    scanner.open()
    wait_until(lambda: (DeviceState.ERROR, "scanner.camera_lost") in states)
    scanner.close()
    assert got and {r.payload for r in got} == {"FROM-VIDEO"}


def test_missing_camera_is_reported_as_not_found_with_its_name(scanners, tmp_path):
    clock = SimClock()
    scanner = CameraScanner(device=str(tmp_path / "no-such-camera.avi"), decoder="zxing",
                            clock=clock, wait=clock.wait)
    scanners.append(scanner)
    reports = []
    scanner.state.subscribe(reports.append)
    scanner.open()
    wait_until(lambda: any(r.state is DeviceState.ERROR for r in reports))
    error = next(r for r in reports if r.state is DeviceState.ERROR)
    assert error.reason_key == "scanner.camera_not_found"
    assert error.params == {"device": str(tmp_path / "no-such-camera.avi")}
