"""Why a scanner driver cannot run here: missing OpenCV or decoder, no camera N, no serial port."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def decoder_availability(decoder: str = "auto") -> tuple[bool, str]:
    """See :func:`devices.scanner.decoders.decoder_availability` (imported here on first use:
    the registry imports this module with every driver package, and the decoders need NumPy)."""
    from devices.scanner.decoders import decoder_availability as check

    return check(decoder)


def opencv_availability() -> tuple[bool, str]:
    try:
        importlib.import_module("cv2")
    except Exception as exc:  # a broken wheel can fail with more than ImportError
        return False, f"OpenCV (cv2) is not usable: {exc}; install opencv-python-headless"
    return True, ""


def camera_driver_availability() -> tuple[bool, str]:
    """Registry check for "camera" (no options): OpenCV and at least one decoder."""
    ok, why = opencv_availability()
    return (ok, why) if not ok else decoder_availability("auto")


def serial_driver_availability() -> tuple[bool, str]:
    try:
        importlib.import_module("serial")
    except Exception as exc:
        return False, f"pyserial is not usable: {exc}"
    return True, ""


def camera_availability(device: int | str = 0, decoder: str = "auto") -> tuple[bool, str]:
    """Whether camera ``device`` (index or path) can be used with ``decoder``, else why not.

    On Linux an index N is checked as /dev/videoN without opening it (opening a busy camera
    would steal it from a running kiosk); elsewhere the capture is opened briefly.
    """
    for check in (opencv_availability, lambda: decoder_availability(decoder)):
        ok, why = check()
        if not ok:
            return ok, why
    if isinstance(device, str) and not device.isdigit():
        if "://" in device or Path(device).exists():
            return True, ""
        return False, f"no camera or video file at {device!r}"
    index = int(device)
    if sys.platform.startswith("linux"):
        if os.path.exists(f"/dev/video{index}"):
            return True, ""
        return False, f"no camera index {index} (/dev/video{index} does not exist)"
    import cv2

    capture = cv2.VideoCapture(index)
    try:
        return (True, "") if capture.isOpened() else (False, f"no camera index {index}")
    finally:
        capture.release()


def serial_availability(port: str) -> tuple[bool, str]:
    """Whether serial ``port`` exists (a path on POSIX; listed by pyserial on Windows)."""
    ok, why = serial_driver_availability()
    if not ok:
        return ok, why
    if not port:
        return False, "no serial port configured"
    if os.name == "nt":
        from serial.tools import list_ports

        names = {p.device.upper() for p in list_ports.comports()}
        return (True, "") if port.upper() in names else (False, f"no serial port {port}")
    if os.path.exists(port):
        return True, ""
    return False, f"no serial port {port} (the path does not exist)"
