"""Files the kiosk derives from its own inputs so that it starts faster.

Each file is named after a checksum of what it was made from (like Python's .pyc files), so a
changed input simply gets a new file and a stale one is never read. A missing, unreadable or
damaged file only costs speed: the caller rebuilds it. The folder is kiosk.paths.cache_dir(), the
user's own, the same trust as the kiosk's code and configuration.
"""

from __future__ import annotations

import marshal
import zlib
from pathlib import Path

from kiosk import paths
from kiosk.atomic_file import write_atomically


def checksum(data: bytes) -> str:
    """Names a cache file after its input. zlib, not hashlib: OpenSSL's import costs ~3 ms."""
    return f"{len(data):x}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def path(name: str) -> Path:
    """Where the cache keeps ``name`` (it may not be there: read() says)."""
    return paths.cache_dir() / name


def read(name: str) -> bytes | None:
    try:
        return path(name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Written whole or not at all; a read-only cache is no error (it only costs speed)."""
    try:
        target = path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data, durable=False)
    except OSError:
        pass


def read_value(name: str) -> object:
    """A value stored by ``write_value``; None when missing or damaged."""
    data = read(name)
    if data is None:
        return None
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def write_value(name: str, value: object) -> None:
    """Stores ``value`` with marshal (C speed both ways; dicts, lists, tuples, str, numbers...).
    A value marshal cannot hold (a datetime, say) is not stored: it only costs speed."""
    try:
        data = marshal.dumps(value)
    except ValueError:
        return
    write(name, data)
