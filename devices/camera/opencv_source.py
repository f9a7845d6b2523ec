"""A real camera through OpenCV (cv2.VideoCapture): the photo camera's hardware source."""

from __future__ import annotations

import numpy as np

from devices.camera.base import KEY_LOST, KEY_NOT_FOUND, Camera, PhotoSource
from devices.errors import DeviceDisconnected, DeviceUnavailable


class OpenCVSource(PhotoSource):
    """cv2.VideoCapture by index (0 = first camera) or by path/URL; drops a few frames after
    opening so automatic exposure and white balance have settled before a photo is taken."""

    def __init__(self, device: int | str = 0, width_px: int = 1280, height_px: int = 720,
                 warmup_frames: int = 5) -> None:
        self.device = int(device) if isinstance(device, str) and device.isdigit() else device
        self.width_px = width_px
        self.height_px = height_px
        self.warmup_frames = warmup_frames
        self.description = f"camera {device}"
        self._capture = None

    def open(self) -> None:
        import cv2

        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            raise DeviceUnavailable(f"cannot open {self.description}", key=KEY_NOT_FOUND, device=str(self.device))
        if isinstance(self.device, int):
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width_px)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height_px)
        self._capture = capture

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise DeviceDisconnected("capture not open", key=KEY_LOST)
        ok, frame = self._capture.read()
        if not ok or frame is None:  # unplugged camera, or the end of a video file
            raise DeviceDisconnected(f"{self.description} returned no frame", key=KEY_LOST)
        if frame.ndim == 2:
            import cv2

            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        return frame[:, :, :3]

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


def opencv_camera(device: int | str = 0, width_px: int = 1280, height_px: int = 720, *, warmup_frames: int = 5,
                  max_side_px: int = 1280, jpeg_quality: int = 85, preview_fps: float = 8.0) -> Camera:
    camera = Camera(OpenCVSource(device, width_px, height_px, warmup_frames), max_side_px=max_side_px,
                    jpeg_quality=jpeg_quality, preview_fps=preview_fps)
    camera.driver_id = "opencv"
    return camera
