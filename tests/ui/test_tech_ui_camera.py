"""Camera preview: frames from the scanner camera (or the sim twin's synthetic frames), really decoded."""

from __future__ import annotations

import cv2
import pytest

from devices.scanner.synthetic import on_canvas, qr_image
from kiosk.i18n import set_language
from kiosk.staff.auth import Operator
from support.kiosk_world import kiosk_runtime
from support.tech_ui_world import config_with_pin, kiosk_window, sign_in


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()


def _video(path, payload: str, frames: int) -> str:
    """A short MJPG video of a QR code: what a USB camera would show, read through OpenCV."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 360))
    assert writer.isOpened()
    for index in range(frames):
        frame = on_canvas(qr_image(payload, module_px=5), 640, 360, at=(100 + index * 4, 60))
        writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()
    return str(path)


def test_the_sim_twin_shows_synthetic_frames_with_its_payload_decoded_and_outlined(qtbot, tmp_path, pin_config):
    devices = {"scanner": {"driver": "sim", "payloads": ["TECH-CAMERA-SIM-42"], "start_delay_s": 600}}
    with kiosk_runtime(tmp_path, devices, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_camera")
        screen = win.screens.current
        qtbot.waitUntil(lambda: "TECH-CAMERA-SIM-42" in screen.decoded.text(), timeout=10_000)
        assert screen.source_kind == "synthetic" and "Simulated" in screen.source_label.text()
        detection = screen.last.detections[0]
        assert len(detection.corners) == 4 and detection.text == "TECH-CAMERA-SIM-42"
        assert not screen.picture.pixmap().isNull()
        feed = screen.feed
        win.navigate("tech_home")
        assert screen.feed is None and feed._thread is None  # the preview thread has ended


def test_a_camera_scanner_lends_its_camera_to_the_preview_and_a_lost_camera_is_reported(qtbot, tmp_path, pin_config):
    video = _video(tmp_path / "camera.avi", "CAM-VIDEO-7", frames=40)
    devices = {"scanner": {"driver": "camera", "device": video, "max_fps": 5}}
    with kiosk_runtime(tmp_path, devices, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        scanner = runtime.devices.get("scanner")
        scanner.open()
        assert scanner.running
        # The sign-in screen would read the code in the video as a card: sign in behind its back.
        win.tech.sign_in(Operator("technician", "technician"))
        win.navigate("tech_camera")
        screen = win.screens.current
        assert screen.source_kind == "camera"
        qtbot.waitUntil(lambda: "CAM-VIDEO-7" in screen.decoded.text(), timeout=10_000)
        assert not scanner.running  # one reader per camera: the scanner lent it to the preview
        qtbot.waitUntil(lambda: screen.state == "error", timeout=15_000)  # the video ends: the camera is gone
        assert "not working" in screen.source_label.text()
        assert "scanner.camera_lost" not in screen.source_label.text()  # in words, not a key
        win.navigate("tech_home")
        assert scanner.running  # and got it back


def test_a_scanner_without_a_camera_says_so(qtbot, tmp_path, pin_config):
    devices = {"scanner": {"driver": "serial", "port": "/dev/null-scanner"}}
    with kiosk_runtime(tmp_path, devices, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        sign_in(qtbot, win)
        win.navigate("tech_camera")
        screen = win.screens.current
        assert screen.state == "no_camera" and screen.feed is None
        assert "no camera" in screen.source_label.text()
