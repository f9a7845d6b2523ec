"""Files the kiosk derives from its own inputs so that it starts faster.

Each file is named after a checksum of what it was made from (like Python's .pyc files), so a
changed input simply gets a new file and a stale one is never read. A missing, unreadable or
damaged file only costs speed: the caller rebuilds it. The folder is the user's own cache
(KIOSK_CACHE_DIR overrides), the same trust as the kiosk's code and configuration.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path


def cache_dir() -> Path:
    """KIOSK_CACHE_DIR, else the platform's cache folder for the kiosk."""
    env = os.environ.get("KIOSK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("community-kiosk", appauthor=False))


def checksum(data: bytes) -> str:
    """Names a cache file after its input. zlib, not hashlib: OpenSSL's import costs ~3 ms."""
    return f"{len(data):x}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def read(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed); a read-only cache is no error."""
    import tempfile

    target = cache_dir() / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
