"""A screen hears the configured scanner only between start() and stop(), once per scan."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from kiosk.device_hub import DeviceHub
from support.kiosk_world import config_with_devices
from ui.scanner_listener import ScannerListener


def _hub(loop: bool) -> DeviceHub:
    return DeviceHub(config_with_devices({"scanner": {
        "driver": "sim", "payloads": ["KR1:TEST"], "start_delay_s": 0.0, "interval_s": 0.05, "loop": loop}}))


def test_each_scan_arrives_once_even_when_start_is_called_twice():
    hub = _hub(loop=False)
    heard: list[str] = []
    arrived = threading.Event()
    listener = ScannerListener(lambda payload: (heard.append(payload), arrived.set()))
    try:
        listener.start(SimpleNamespace(devices=hub))
        listener.start(SimpleNamespace(devices=hub))
        assert listener.listening and arrived.wait(5)
        threading.Event().wait(0.3)
        assert heard == ["KR1:TEST"]
    finally:
        listener.stop()
        hub.close()


def test_nothing_arrives_after_stop():
    hub = _hub(loop=True)
    heard: list[str] = []
    arrived = threading.Event()
    listener = ScannerListener(lambda payload: (heard.append(payload), arrived.set()))
    try:
        listener.start(SimpleNamespace(devices=hub))
        assert arrived.wait(5)
        listener.stop()
        count = len(heard)
        threading.Event().wait(0.3)  # several scanner intervals
        assert not listener.listening and len(heard) == count
    finally:
        listener.stop()
        hub.close()


def test_without_a_scanner_nothing_listens():
    listener = ScannerListener(lambda payload: None)
    listener.start(SimpleNamespace(devices=DeviceHub(config_with_devices({}))))
    listener.start(None)  # screens rendered without a runtime (audit, screenshots)
    assert not listener.listening
    listener.stop()
