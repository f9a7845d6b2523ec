"""Scanner drivers are registered by role and id, and availability checks say why not."""

from __future__ import annotations

import os
import tty

import pytest

from devices import registry
from devices.errors import DeviceUnavailable
from devices.scanner.availability import camera_availability, serial_availability
from devices.scanner.camera import CameraScanner
from devices.scanner.serial_scanner import SerialScanner
from devices.scanner.sim import SimScanner


def test_camera_serial_and_sim_are_registered_under_role_scanner():
    ids = {d.driver_id: d for d in registry.drivers("scanner")}
    assert set(ids) == {"camera", "serial", "sim"}
    assert ids["sim"].simulated and not ids["camera"].simulated
    assert ids["camera"].load() is CameraScanner
    assert ids["serial"].load() is SerialScanner
    assert ids["sim"].load() is SimScanner
    assert all(d.usable() == (True, "") for d in ids.values())


def test_option_names_match_the_constructor_parameters():
    import inspect

    for info in registry.drivers("scanner"):
        params = inspect.signature(info.load()).parameters
        assert {o.name for o in info.options} <= set(params), info.driver_id


def test_missing_camera_index_is_named():
    index = next(i for i in range(64, 128) if not os.path.exists(f"/dev/video{i}"))
    ok, why = camera_availability(index)
    assert not ok and f"no camera index {index}" in why


def test_existing_video_file_counts_as_a_camera(tmp_path):
    video = tmp_path / "clip.avi"
    video.write_bytes(b"")
    assert camera_availability(str(video)) == (True, "")


def test_unknown_decoder_makes_the_camera_unavailable(tmp_path):
    ok, why = camera_availability(str(tmp_path), decoder="tesseract")
    assert not ok and "tesseract" in why


def test_serial_port_presence_is_checked(tmp_path):
    master, slave = os.openpty()
    try:
        tty.setraw(slave)
        assert serial_availability(os.ttyname(slave)) == (True, "")
    finally:
        os.close(master)
        os.close(slave)
    ok, why = serial_availability(str(tmp_path / "ttyNone"))
    assert not ok and "ttyNone" in why
    assert serial_availability("") == (False, "no serial port configured")


def test_creating_a_camera_with_an_unusable_decoder_raises_with_a_key():
    with pytest.raises(DeviceUnavailable) as err:
        registry.create("scanner", "camera", decoder="nonexistent")
    assert err.value.key == "scanner.no_decoder"
