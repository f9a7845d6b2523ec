"""Photo camera driver: a live preview and still photos (JPEG) from one worker thread per camera."""

from __future__ import annotations

import abc
import concurrent.futures
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from devices.base import Driver
from devices.errors import DeviceDisconnected, DeviceError
from devices.messages import N_
from devices.state import DeviceState

log = logging.getLogger(__name__)

PreviewListener = Callable[[np.ndarray], None]  # a small BGR frame, on the camera's worker thread

KEY_NOT_FOUND = N_("camera.not_found")
KEY_LOST = N_("camera.lost")
KEY_ENCODE_FAILED = N_("camera.encode_failed")


@dataclass(frozen=True)
class Photo:
    """A still photo: JPEG bytes and its size in pixels."""

    jpeg: bytes
    width_px: int
    height_px: int


class PhotoSource(abc.ABC):
    """Where colour frames come from (an OpenCV capture, the simulated scene); one thread uses it."""

    description: str = ""
    warmup_frames: int = 0  # frames to drop after opening (auto exposure of real cameras settles)

    @abc.abstractmethod
    def open(self) -> None:
        """Start the stream (blocking, worker thread); raises DeviceUnavailable (camera.not_found)."""

    @abc.abstractmethod
    def read(self) -> np.ndarray:
        """The next BGR frame (H x W x 3 uint8); raises DeviceDisconnected (camera.lost)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the camera; idempotent."""


def encode_jpeg(frame: np.ndarray, max_side_px: int, quality: int) -> Photo:
    """The frame as a JPEG no larger than ``max_side_px`` on its long side."""
    import cv2

    height, width = frame.shape[:2]
    scale = min(1.0, max_side_px / max(height, width))
    if scale < 1.0:
        frame = cv2.resize(frame, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise DeviceError("JPEG encoding failed", key=KEY_ENCODE_FAILED)
    return Photo(data.tobytes(), frame.shape[1], frame.shape[0])


def preview_frame(frame: np.ndarray, width_px: int) -> np.ndarray:
    """A copy of ``frame`` scaled down to ``width_px`` wide (the preview needs no more)."""
    import cv2

    height, width = frame.shape[:2]
    if width <= width_px:
        return frame.copy()
    return cv2.resize(frame, (width_px, round(height * width_px / width)), interpolation=cv2.INTER_AREA)


class _Run:
    """One stretch of camera use by the worker: its stop flag, preview listener and waiting captures."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.listener: PreviewListener | None = None
        self.pending: list[concurrent.futures.Future[Photo]] = []
        self.thread: threading.Thread | None = None


class Camera(Driver):
    """A photo camera: ``start_preview`` streams small frames to a listener, ``capture_async``
    returns a JPEG Photo. Camera I/O runs on a worker thread started by the first of the two and
    ended by ``stop_preview``/``close``; a capture without a preview opens and releases the camera
    by itself, so the QR scanner can use the same camera the rest of the time.
    """

    role = "camera"
    capabilities = frozenset({"photo", "preview"})

    def __init__(self, source: PhotoSource, *, max_side_px: int = 1280, jpeg_quality: int = 85,
                 preview_fps: float = 8.0, preview_width_px: int = 640) -> None:
        super().__init__()
        self.source = source
        self.max_side_px = max_side_px
        self.jpeg_quality = jpeg_quality
        self.preview_interval_s = 1.0 / preview_fps
        self.preview_width_px = preview_width_px
        self._lock = threading.Lock()
        self._io_lock = threading.Lock()  # one run at a time holds the camera (open .. close)
        self._run: _Run | None = None
        self._closed = False
        self.photos_taken = 0

    # -- lifecycle ------------------------------------------------------------------------
    def open(self) -> None:
        """Nothing to do up front: the camera opens when a preview or a capture needs it."""
        if self.state.state is DeviceState.DISCONNECTED:
            self._set_state(DeviceState.READY)

    def close(self) -> None:
        """Stop the preview, fail waiting captures, release the camera. Idempotent."""
        with self._lock:
            self._closed = True
        self.stop_preview()
        self._set_state(DeviceState.DISCONNECTED)

    # -- preview and capture ---------------------------------------------------------------
    def start_preview(self, listener: PreviewListener) -> None:
        """Stream preview frames to ``listener`` (worker thread, about ``preview_fps`` a second)."""
        with self._lock:
            if self._closed:
                raise DeviceError("camera is closed", key=KEY_LOST)
            self._current_locked().listener = listener

    def stop_preview(self, wait: bool = True) -> None:
        """Stop the stream and release the camera; ``wait`` blocks until the worker let go (at
        most ~5 s). The UI passes False: the next preview or capture waits for the release itself."""
        with self._lock:
            run, self._run = self._run, None
        if run is None:
            return
        run.stop.set()
        if wait and run.thread is not None and run.thread is not threading.current_thread():
            run.thread.join(5.0)

    def capture_async(self) -> concurrent.futures.Future[Photo]:
        """A still photo from the next frame; fails with DeviceError (camera.not_found, camera.lost)."""
        future: concurrent.futures.Future[Photo] = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                future.set_exception(DeviceError("camera is closed", key=KEY_LOST))
                return future
            self._current_locked().pending.append(future)
        return future

    def capture(self, timeout_s: float = 10.0) -> Photo:
        """Blocking form of :meth:`capture_async` (workers and technicians' tools only)."""
        return self.capture_async().result(timeout_s)

    @property
    def previewing(self) -> bool:
        with self._lock:
            return self._run is not None and self._run.listener is not None

    def _current_locked(self) -> _Run:
        if self._run is None:
            run = _Run()
            run.thread = threading.Thread(target=self._work, args=(run,), name=f"camera-{self.driver_id}",
                                          daemon=True)
            self._run = run
            run.thread.start()
        return self._run

    # -- worker ---------------------------------------------------------------------------
    def _work(self, run: _Run) -> None:
        with self._io_lock:
            if run.stop.is_set():
                self._finish(run, None)
                return
            self._set_state(DeviceState.CONNECTING, N_("camera.opening"))
            try:
                self.source.open()
            except DeviceError as exc:
                log.warning("camera %s cannot open: %s", self.source.description, exc)
                self._set_state(DeviceState.ERROR, exc.key, **exc.params)
                self._finish(run, exc)
                return
            try:
                self._set_state(DeviceState.BUSY, N_("camera.streaming"))
                for _ in range(self.source.warmup_frames):
                    self.source.read()
                self._loop(run)
            except DeviceError as exc:
                log.warning("camera %s stopped: %s", self.source.description, exc)
                self._set_state(DeviceState.ERROR, exc.key or KEY_LOST, **exc.params)
                self._finish(run, exc)
                return
            finally:
                self.source.close()
            self._finish(run, None)
            self._set_state(DeviceState.READY)

    def _loop(self, run: _Run) -> None:
        next_preview_s = 0.0
        while not run.stop.is_set():
            with self._lock:
                listener = run.listener
                if listener is None and not run.pending:
                    if self._run is run:
                        self._run = None  # later captures start a new run
                    return
            frame = self.source.read()  # raising here fails the waiting captures in _finish
            with self._lock:
                pending, run.pending = run.pending, []
            for future in pending:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(encode_jpeg(frame, self.max_side_px, self.jpeg_quality))
                        self.photos_taken += 1
                    except DeviceError as exc:
                        future.set_exception(exc)
            now_s = time.monotonic()
            if listener is not None and now_s >= next_preview_s:
                next_preview_s = now_s + self.preview_interval_s
                try:
                    listener(preview_frame(frame, self.preview_width_px))
                except Exception:  # noqa: BLE001 - a faulty listener must not stop the camera
                    log.exception("camera preview listener failed")
            if listener is not None:
                run.stop.wait(max(0.0, next_preview_s - time.monotonic()))

    def _finish(self, run: _Run, error: DeviceError | None) -> None:
        with self._lock:
            pending, run.pending = run.pending, []
            if self._run is run:
                self._run = None
        for future in pending:
            if future.set_running_or_notify_cancel():
                future.set_exception(error or DeviceDisconnected("the camera was stopped", key=KEY_LOST))
