"""Where camera frames come from: an OpenCV capture, or a list of images played by the fake."""

from __future__ import annotations

import abc
import logging
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from devices.errors import DeviceDisconnected, DeviceUnavailable
from devices.messages import N_

log = logging.getLogger(__name__)


def to_gray(frame: np.ndarray) -> np.ndarray:
    """A 2-D uint8 grey frame from grey, BGR or BGRA."""
    if frame.ndim == 2:
        return frame
    import cv2

    code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(frame, code)


class FrameSource(abc.ABC):
    """A camera-like stream of grey frames, used by one worker thread only."""

    description: str = ""

    @abc.abstractmethod
    def open(self) -> None:
        """Start the stream (blocking, worker thread).

        Raises DeviceUnavailable (key ``scanner.camera_not_found``) when it cannot start.
        """

    @abc.abstractmethod
    def read(self) -> np.ndarray | None:
        """The next grey frame (H x W uint8), or None when no new frame is ready yet.

        Blocks at most about one frame time. Raises DeviceDisconnected (key
        ``scanner.camera_lost``) when the camera stops delivering (unplugged, driver gone).
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release the camera; idempotent."""


class OpenCVCapture(FrameSource):
    """cv2.VideoCapture by device index (0 = first camera) or by path/URL (a video file)."""

    def __init__(self, device: int | str = 0, width_px: int = 1280, height_px: int = 720) -> None:
        self.device = device
        self.width_px = width_px
        self.height_px = height_px
        self.description = f"camera {device}"
        self._capture = None

    def open(self) -> None:
        import cv2

        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            raise DeviceUnavailable(f"cannot open {self.description}",
                                    key=N_("scanner.camera_not_found"), device=str(self.device))
        if isinstance(self.device, int):
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width_px)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height_px)
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            raise DeviceDisconnected("capture not open", key=N_("scanner.camera_lost"))
        ok, frame = self._capture.read()
        # A USB camera pulled out (and a video file at its end) makes read() fail; both mean lost.
        if not ok or frame is None:
            raise DeviceDisconnected(f"{self.description} returned no frame",
                                     key=N_("scanner.camera_lost"))
        return to_gray(frame)

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


class ImageListSource(FrameSource):
    """Plays images (arrays or image files) in order: the camera of the fake and of tests.

    ``loop`` restarts at the first image; otherwise read() returns None once all were played.
    Fault injection: after ``lose_after`` frames the camera is lost (read raises) and the
    next ``fail_opens`` open() calls fail, then it plays on from where it stopped;
    :meth:`lose` does the same on demand from any thread.
    """

    def __init__(self, images: Iterable[np.ndarray | str | Path], loop: bool = False,
                 lose_after: int | None = None, fail_opens: int = 0) -> None:
        self._images: Sequence[np.ndarray | str | Path] = list(images)
        self.loop = loop
        self.description = f"{len(self._images)} images"
        self._lock = threading.Lock()
        self._next = 0
        self._lose_after = lose_after
        self._fail_opens_after_loss = fail_opens
        self._fail_opens = 0
        self._lost = False
        self._open = False
        self.frames_read = 0
        self.opens = 0

    def lose(self, fail_opens: int = 0) -> None:
        """Make the next read() fail as an unplugged camera, and the next ``fail_opens`` opens."""
        with self._lock:
            self._lost = True
            self._fail_opens = fail_opens

    def open(self) -> None:
        with self._lock:
            self.opens += 1
            if self._fail_opens > 0:
                self._fail_opens -= 1
                raise DeviceUnavailable("injected: camera not found",
                                        key=N_("scanner.camera_not_found"), device="sim")
            self._lost = False
            self._open = True

    def read(self) -> np.ndarray | None:
        with self._lock:
            if self._lose_after is not None and self.frames_read >= self._lose_after:
                self._lose_after = None
                self._lost = True
                self._fail_opens = self._fail_opens_after_loss
            if not self._open or self._lost:
                self._open = False
                raise DeviceDisconnected("injected: camera lost", key=N_("scanner.camera_lost"))
            if self._next >= len(self._images):
                if not self.loop or not self._images:
                    return None
                self._next = 0
            item = self._images[self._next]
            self._next += 1
            self.frames_read += 1
        return self._load(item)

    def close(self) -> None:
        with self._lock:
            self._open = False

    @staticmethod
    def _load(item: np.ndarray | str | Path) -> np.ndarray:
        if isinstance(item, np.ndarray):
            return to_gray(item)
        import cv2

        image = cv2.imread(str(item), cv2.IMREAD_GRAYSCALE)
        if image is None:
            log.warning("image file %s cannot be read; playing an empty frame", item)
            return np.zeros((0, 0), dtype=np.uint8)
        return image
