"""The camera's simulated twin: a drawn scene (or an image file) with fault injection."""

from __future__ import annotations

import threading
import time

import numpy as np

from devices.camera.base import KEY_LOST, KEY_NOT_FOUND, Camera, PhotoSource
from devices.errors import DeviceDisconnected, DeviceUnavailable

FAULTS = ("ok", "not_found", "lost")


def sim_scene(width_px: int, height_px: int, frame_no: int) -> np.ndarray:
    """A recognisable test picture: a corridor wall, a floor and a yellow warning sign, with a
    marker that moves from frame to frame so a preview visibly runs."""
    import cv2

    w, h = width_px, height_px
    rows = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    image = np.empty((h, w, 3), dtype=np.uint8)
    image[:, :, 0] = (150 + 60 * rows).astype(np.uint8)  # B
    image[:, :, 1] = (160 + 50 * rows).astype(np.uint8)  # G
    image[:, :, 2] = (170 + 40 * rows).astype(np.uint8)  # R
    floor_y = int(h * 0.72)
    image[floor_y:, :] = (70, 90, 110)
    cx, top, side = w // 2, int(h * 0.18), int(min(w, h) * 0.5)
    triangle = np.array([[cx, top], [cx - side // 2, top + int(side * 0.87)], [cx + side // 2, top + int(side * 0.87)]])
    cv2.fillConvexPoly(image, triangle, (0, 200, 255))
    cv2.polylines(image, [triangle], True, (0, 0, 0), max(4, side // 40))
    bar_w = max(8, side // 14)
    cv2.rectangle(image, (cx - bar_w // 2, top + side // 4), (cx + bar_w // 2, top + int(side * 0.6)), (0, 0, 0), -1)
    cv2.circle(image, (cx, top + int(side * 0.72)), bar_w // 2 + 2, (0, 0, 0), -1)
    x = int((frame_no * 17) % max(1, w - 60)) + 30
    cv2.circle(image, (x, floor_y + (h - floor_y) // 2), max(10, h // 40), (40, 40, 200), -1)
    scale = h / 720
    cv2.putText(image, f"SIM CAMERA  #{frame_no}", (int(30 * scale), int(60 * scale)), cv2.FONT_HERSHEY_SIMPLEX,
                1.4 * scale, (20, 20, 20), max(2, int(3 * scale)), cv2.LINE_AA)
    return image


class SimSource(PhotoSource):
    """Plays the drawn scene (or ``image``) at ``fps``. Faults: not_found (open fails), lost
    (the camera disappears after ``lose_after`` frames); ``set_fault`` switches at run time."""

    def __init__(self, width_px: int = 1280, height_px: int = 720, fps: float = 15.0, image: str = "",
                 fault: str = "ok", lose_after: int = 3) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
        self.width_px = width_px
        self.height_px = height_px
        self.frame_interval_s = 1.0 / fps
        self.image = image
        self.description = "simulated camera"
        self._lock = threading.Lock()
        self._fault = fault
        self.lose_after = lose_after
        self._open = False
        self._since_open = 0
        self._picture: np.ndarray | None = None
        self.frames_read = 0
        self.opens = 0

    def set_fault(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
        with self._lock:
            self._fault = fault

    def open(self) -> None:
        with self._lock:
            self.opens += 1
            if self._fault == "not_found":
                raise DeviceUnavailable("injected: no camera", key=KEY_NOT_FOUND, device="sim")
            self._open = True
            self._since_open = 0
        if self.image and self._picture is None:
            import cv2

            picture = cv2.imread(self.image, cv2.IMREAD_COLOR)
            if picture is None:
                raise DeviceUnavailable(f"cannot read {self.image}", key=KEY_NOT_FOUND, device=self.image)
            self._picture = picture

    def read(self) -> np.ndarray:
        with self._lock:
            if not self._open:
                raise DeviceDisconnected("simulated camera not open", key=KEY_LOST)
            if self._fault == "lost" and self._since_open >= self.lose_after:
                self._open = False
                raise DeviceDisconnected("injected: camera lost", key=KEY_LOST)
            self.frames_read += 1
            self._since_open += 1
            frame_no = self.frames_read
        time.sleep(self.frame_interval_s)  # a camera delivers at its frame rate, not faster
        if self._picture is not None:
            return self._picture.copy()
        return sim_scene(self.width_px, self.height_px, frame_no)

    def close(self) -> None:
        with self._lock:
            self._open = False


def sim_camera(width_px: int = 1280, height_px: int = 720, fps: float = 15.0, image: str = "", fault: str = "ok",
               lose_after: int = 3, *, max_side_px: int = 1280, jpeg_quality: int = 85,
               preview_fps: float = 8.0) -> Camera:
    camera = Camera(SimSource(width_px, height_px, fps, image, fault, lose_after), max_side_px=max_side_px,
                    jpeg_quality=jpeg_quality, preview_fps=preview_fps)
    camera.driver_id = "sim"
    return camera
