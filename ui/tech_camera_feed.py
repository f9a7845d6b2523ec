"""Frames for the technician's camera preview, with where each decoded code is (no Qt)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from devices.errors import DeviceError
from devices.scanner.frames import FrameSource, to_gray
from devices.scanner.result import payload_from_raw

log = logging.getLogger(__name__)

DEMO_PAYLOAD = "KIOSK-DEMO-CAMERA-PREVIEW"
PREVIEW_FPS = 8.0
SYNTHETIC_SIZE = (1280, 720)
SYNTHETIC_HOLD_S = 2.0  # each payload stays in view this long, moving


@dataclass(frozen=True)
class Detection:
    """One decoded code: its text and its four corners in the frame's pixels."""

    text: str
    corners: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class FeedFrame:
    gray: np.ndarray  # H x W uint8, the frame as decoded
    detections: tuple[Detection, ...]
    decode_ms: float


def detect(frame: np.ndarray) -> tuple[list[Detection], float]:
    """Codes in ``frame`` with their corners (zxing-cpp; pyzbar when zxing-cpp is missing)."""
    gray = to_gray(frame)
    started = time.perf_counter()
    found: list[Detection] = []
    try:
        import zxingcpp
    except ImportError:
        zxingcpp = None
    if zxingcpp is not None:
        for result in zxingcpp.read_barcodes(gray):
            pos = result.position
            corners = tuple((p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            found.append(Detection(payload_from_raw(bytes(result.bytes)), corners))
    else:
        from pyzbar import pyzbar

        for symbol in pyzbar.decode(gray):
            found.append(Detection(payload_from_raw(symbol.data), tuple((p.x, p.y) for p in symbol.polygon)))
    return found, (time.perf_counter() - started) * 1000


class SyntheticSource(FrameSource):
    """The sim twin's "camera": its payloads as QR codes drifting over a grey frame."""

    description = "synthetic frames"

    def __init__(self, payloads: Sequence[str] = (), size: tuple[int, int] = SYNTHETIC_SIZE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.payloads = [p for p in payloads if p] or [DEMO_PAYLOAD]
        self.size = size
        self.clock = clock
        self._images: dict[str, np.ndarray] = {}
        self._started = 0.0

    def open(self) -> None:
        self._started = self.clock()

    def read(self) -> np.ndarray:
        from devices.scanner.synthetic import on_canvas, qr_image

        elapsed = self.clock() - self._started
        payload = self.payloads[int(elapsed // SYNTHETIC_HOLD_S) % len(self.payloads)]
        if payload not in self._images:
            self._images[payload] = qr_image(payload, module_px=8)
        image = self._images[payload]
        width, height = self.size
        h, w = image.shape[:2]
        phase = (elapsed % SYNTHETIC_HOLD_S) / SYNTHETIC_HOLD_S
        x = int(40 + phase * max(0, width - w - 80))
        y = int((height - h) / 2 + 60 * np.sin(phase * 2 * np.pi))
        return on_canvas(image, width, height, background=190, at=(x, max(0, min(y, height - h))))

    def close(self) -> None:
        self._started = 0.0


def feed_source(hub: Any) -> tuple[str, FrameSource | None, Any]:
    """Where the preview's frames come from: ("camera", the camera scanner's source, scanner),
    ("synthetic", frames of the sim twin's payloads, scanner), or ("none"/"no_camera", None, None)."""
    from devices.scanner.camera import CameraScanner
    from devices.scanner.sim import SimScanner

    scanner = hub.get("scanner") if hub is not None else None
    if scanner is None:
        return "none", None, None
    if isinstance(scanner, CameraScanner):
        return "camera", scanner.source, scanner
    if isinstance(scanner, SimScanner):
        payloads = [str(value) for kind, value in scanner.schedule if kind == "payload"]
        return "synthetic", SyntheticSource(payloads), scanner
    return "no_camera", None, None


class CameraFeed:
    """Reads ``source`` on its own thread at most ``fps`` times a second, decodes each frame and
    hands a FeedFrame to ``on_frame`` (on that thread); ``on_error(key, params)`` when the camera
    cannot start or is lost. A camera scanner that was running is paused meanwhile and resumed."""

    def __init__(self, source: FrameSource, on_frame: Callable[[FeedFrame], None],
                 on_error: Callable[[str, dict[str, object]], None], fps: float = PREVIEW_FPS,
                 scanner: Any = None) -> None:
        self.source = source
        self.on_frame = on_frame
        self.on_error = on_error
        self.interval_s = 1.0 / fps
        self.scanner = scanner
        self._resume = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.frames = 0

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="tech-camera-preview", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 3.0) -> None:
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout_s)
        if self._resume and self.scanner is not None:
            self._resume = False
            self.scanner.open()  # the scanner gets its camera back

    def _run(self) -> None:
        if self.scanner is not None and getattr(self.scanner, "running", False) and \
                getattr(self.scanner, "source", None) is self.source:
            self.scanner.close()  # one reader per camera: the preview borrows it
            self._resume = True
        try:
            self.source.open()
        except DeviceError as exc:
            self.on_error(exc.key, dict(exc.params))
            return
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                frame = self.source.read()
                if frame is not None:
                    detections, decode_ms = detect(frame)
                    self.frames += 1
                    self.on_frame(FeedFrame(to_gray(frame), tuple(detections), decode_ms))
                self._stop.wait(max(0.0, self.interval_s - (time.monotonic() - started)))
        except DeviceError as exc:
            self.on_error(exc.key, dict(exc.params))
        except Exception as exc:  # a broken frame must end the preview with a reason, not silently
            log.warning("camera preview stopped: %s", type(exc).__name__)
            self.on_error("scanner.failed", {})
        finally:
            self.source.close()
