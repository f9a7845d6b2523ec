"""The photo camera driver: preview frames and JPEG photos from the simulated twin and from OpenCV."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from devices import registry
from devices.camera.base import Camera
from devices.camera.opencv_source import OpenCVSource, opencv_camera
from devices.camera.sim import SimSource
from devices.errors import DeviceError, DeviceUnavailable
from devices.state import DeviceState


def _decode(jpeg: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "not a JPEG OpenCV can read"
    return image


def test_the_sim_camera_is_chosen_by_config_and_its_photo_is_a_real_jpeg_of_the_warning_sign():
    camera = registry.create("camera", "sim", fps=60.0)
    try:
        photo = camera.capture(timeout_s=10)
        image = _decode(photo.jpeg)
        assert image.shape == (photo.height_px, photo.width_px, 3) == (720, 1280, 3)
        sign = image[300:420, 600:680].reshape(-1, 3).mean(axis=0)  # the yellow triangle's middle
        assert sign[2] > 150 and sign[1] > 120 and sign[0] < 90, sign  # BGR: red + green, little blue
        assert camera.state.state is DeviceState.READY  # a capture alone releases the camera again
        assert camera.source.opens == 1
    finally:
        camera.close()
    assert camera.state.state is DeviceState.DISCONNECTED


def test_preview_streams_small_frames_until_stopped_and_a_photo_can_be_taken_meanwhile():
    camera = registry.create("camera", "sim", fps=60.0, preview_fps=30.0, max_side_px=640)
    frames: list[tuple[int, ...]] = []
    got = threading.Event()

    def on_frame(frame: np.ndarray) -> None:
        frames.append(frame.shape)
        if len(frames) >= 3:
            got.set()

    try:
        camera.start_preview(on_frame)
        assert got.wait(10), "no preview frames"
        assert camera.previewing and camera.state.state is DeviceState.BUSY
        photo = camera.capture(timeout_s=10)
        assert (photo.width_px, photo.height_px) == (640, 360)  # scaled to max_side_px
        assert frames[0] == (360, 640, 3)  # preview frames are 640 wide
        camera.stop_preview()
        count = len(frames)
        time.sleep(0.3)
        assert len(frames) == count and not camera.previewing
        assert camera.state.state is DeviceState.READY
    finally:
        camera.close()


def test_a_missing_camera_fails_the_photo_with_a_key_and_an_error_state():
    camera = registry.create("camera", "sim", fault="not_found")
    try:
        with pytest.raises(DeviceUnavailable) as caught:
            camera.capture(timeout_s=10)
        assert caught.value.key == "camera.not_found"
        assert camera.state.report.state is DeviceState.ERROR
        assert camera.state.report.reason_key == "camera.not_found"
    finally:
        camera.close()


def test_a_camera_lost_during_the_preview_fails_the_waiting_photo_and_a_retry_works_when_it_is_back():
    camera = registry.create("camera", "sim", fault="lost", lose_after=2, fps=60.0)
    try:
        camera.start_preview(lambda frame: None)
        with pytest.raises(DeviceError) as caught:
            for _ in range(20):  # the third frame read loses the camera
                camera.capture(timeout_s=10)
        assert caught.value.key == "camera.lost"
        assert camera.state.report.reason_key == "camera.lost"
        camera.source.set_fault("ok")
        assert _decode(camera.capture(timeout_s=10).jpeg).size > 0
    finally:
        camera.close()


def test_stopping_without_waiting_lets_the_next_capture_wait_for_the_camera_to_be_released():
    source = SimSource(fps=30.0)
    camera = Camera(source)
    try:
        camera.start_preview(lambda frame: None)
        time.sleep(0.2)
        camera.stop_preview(wait=False)  # the UI's way: never blocks the Qt thread
        photo = camera.capture(timeout_s=10)
        assert _decode(photo.jpeg).shape[:2] == (720, 1280)
        assert source.opens == 2  # released, then opened again for the photo
    finally:
        camera.close()


def test_the_opencv_driver_takes_a_photo_through_cv2_videocapture(tmp_path):
    video = tmp_path / "hallway.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    assert writer.isOpened()
    for index in range(20):
        frame = np.full((240, 320, 3), (40, 40, 40), np.uint8)
        cv2.rectangle(frame, (100, 60), (220, 180), (0, 0, 255), -1)  # a red block, then the frame number
        cv2.putText(frame, str(index), (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1, (255, 255, 255), 2)
        writer.write(frame)
    writer.release()
    camera = opencv_camera(str(video), warmup_frames=2)
    try:
        image = _decode(camera.capture(timeout_s=10).jpeg)
        assert image.shape == (240, 320, 3)
        b, g, r = image[120, 160]
        assert r > 180 and g < 80 and b < 80  # the red block came through OpenCV and JPEG
    finally:
        camera.close()


def test_the_opencv_driver_reports_a_camera_that_is_not_there():
    source = OpenCVSource(str("/nonexistent/camera.avi"))
    camera = Camera(source)
    try:
        with pytest.raises(DeviceUnavailable) as caught:
            camera.capture(timeout_s=10)
        assert caught.value.key == "camera.not_found"
        assert camera.state.report.state is DeviceState.ERROR
    finally:
        camera.close()


def test_camera_drivers_are_registered_with_their_options():
    ids = {info.driver_id: info for info in registry.drivers("camera")}
    assert set(ids) == {"opencv", "sim"}
    assert ids["sim"].simulated and not ids["opencv"].simulated
    assert {"device", "width_px", "height_px"} <= {o.name for o in ids["opencv"].options}
    assert ids["opencv"].usable() == (True, "")
