"""A systemd-style notify socket to receive the kiosk's sd_notify datagrams in tests."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def notify_socket() -> Iterator[tuple[str, socket.socket]]:
    """(path, bound datagram socket); AF_UNIX paths must stay short, so it lives under /tmp."""
    folder = tempfile.mkdtemp(prefix="sdn-", dir="/tmp")
    path = os.path.join(folder, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    try:
        yield path, sock
    finally:
        sock.close()
        os.unlink(path)
        os.rmdir(folder)
