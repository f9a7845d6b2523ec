"""systemd notify protocol: datagrams on the socket systemd names, nothing without one."""

from __future__ import annotations

import os
import socket

import pytest

from kiosk.service_notify import ServiceNotifier
from support.notify_socket import notify_socket


@pytest.fixture
def listener():
    with notify_socket() as (path, sock):
        sock.settimeout(2)
        yield path, sock


def test_ready_ping_and_stopping_reach_the_socket_systemd_named(listener):
    path, sock = listener
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "60000000"})
    try:
        assert notifier is not None and notifier.ping_every_s() == 30.0
        assert notifier.ready() and notifier.ping() and notifier.stopping()
        received = [sock.recv(256).decode() for _ in range(3)]
    finally:
        notifier.close()
    assert received[0].splitlines()[0] == "READY=1"
    assert received[1:] == ["WATCHDOG=1", "STOPPING=1"]


def test_an_abstract_socket_name_is_used_with_its_leading_nul():
    name = f"kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": "@" + name})
    try:
        assert notifier is not None and notifier.ping_every_s() is None  # no WATCHDOG_USEC: no pings
        assert notifier.ready()
        assert sock.recv(256).startswith(b"READY=1")
    finally:
        notifier.close()
        sock.close()


@pytest.mark.parametrize("environ", [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "relative/path"}])
def test_without_a_notify_socket_there_is_no_notifier(environ):
    assert ServiceNotifier.from_environment(environ) is None


@pytest.mark.parametrize("value", ["", "0", "-5", "soon"])
def test_a_missing_or_nonsense_watchdog_time_means_no_pings(listener, value):
    path, _sock = listener
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": value})
    try:
        assert notifier is not None and notifier.ping_every_s() is None
    finally:
        notifier.close()


def test_a_vanished_socket_is_reported_once_and_never_raises(caplog):
    notifier = ServiceNotifier("/tmp/no-such-kiosk-notify-socket", 60.0)
    try:
        assert not notifier.ping() and not notifier.ping()
    finally:
        notifier.close()
    assert len([r for r in caplog.records if "notify socket" in r.getMessage()]) == 1
