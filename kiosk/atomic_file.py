"""Writing a file whole or not at all: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, durable: bool) -> None:
    """``target`` holds ``data`` afterwards, or, after any failure or crash, what it held before.

    ``durable`` also flushes the new file to the disk before the rename (a diagnostics bundle);
    a cache file that is only rebuilt when lost need not wait for that. Raises OSError.
    """
    import tempfile  # ~2 ms of imports; the start-up cache writes only on its first start

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
