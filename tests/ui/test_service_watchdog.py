"""The kiosk tells systemd it is ready after the first paint and pings the watchdog from its loop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from kiosk.service_notify import ServiceNotifier
from support.notify_socket import notify_socket
from ui.service_watchdog import ServiceWatchdog


@pytest.fixture
def listener():
    with notify_socket() as (path, sock):
        yield path, sock


def _messages(sock: socket.socket, until: float, stop_after: str | None = None) -> list[str]:
    got: list[str] = []
    while time.monotonic() < until:
        sock.settimeout(max(0.01, until - time.monotonic()))
        try:
            got.append(sock.recv(256).decode().splitlines()[0])
        except (TimeoutError, socket.timeout):
            break
        if stop_after is not None and got[-1] == stop_after:
            break
    return got


def test_pings_come_from_the_qt_event_loop_and_stop_with_it(qtbot, listener):
    path, sock = listener
    sock.setblocking(False)
    watchdog = ServiceWatchdog(ServiceNotifier(path, watchdog_interval_s=0.4))  # a ping every 0.2 s
    received: list[str] = []

    def drain() -> int:
        while True:
            try:
                received.append(sock.recv(256).decode().splitlines()[0])
            except BlockingIOError:
                return len(received)

    try:
        qtbot.waitUntil(lambda: drain() and received.count("WATCHDOG=1") >= 3, timeout=3000)
    finally:
        watchdog.stop()
    drain()
    assert received[0] == "READY=1" and received[-1] == "STOPPING=1"
    assert not watchdog.timer.isActive()


@pytest.mark.slow
def test_the_demo_under_systemd_says_ready_pings_and_says_stopping_on_sigterm(listener, tmp_path):
    path, sock = listener
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000",
           "KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_LOG_DIR": str(tmp_path / "logs")}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "demo"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = _messages(sock, time.monotonic() + 60, stop_after="READY=1")
        assert first and first[-1] == "READY=1", proc.stderr.read().decode(errors="replace")[-2000:] if proc.poll() is not None else first
        pings = _messages(sock, time.monotonic() + 1.6)
        assert pings.count("WATCHDOG=1") >= 2  # every 0.5 s while the event loop runs
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "STOPPING=1" in _messages(sock, time.monotonic() + 2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
