"""Icons from assets/icons (SVG), tinted to the theme's ink colour.

A tinted icon is rendered once and kept as a PNG in the start-up cache (kiosk.startup_cache),
named by a checksum of the tinted SVG: the home screen's icons then load without QtSvg and
without parsing and drawing SVG files before the first paint. ``icon_file`` hands out the cached
file itself, for a style sheet's ``qproperty-icon`` (the top bar): Qt loads it in C++, and the
first paint does not build Python's QIcon type (~3.5 ms).
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap

from kiosk import startup_cache

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _tinted(name: str, colour: str, size_px: int) -> tuple[bytes, str]:
    """The SVG in ``colour`` and the name of its PNG in the start-up cache."""
    svg = (ICON_DIR / f"{name}.svg").read_bytes().replace(b"currentColor", colour.encode("ascii"))
    return svg, f"icons/{name}-{size_px}-{startup_cache.checksum(svg)}.png"


def _png_of(name: str, colour: str, size_px: int) -> tuple[str, bytes, QPixmap | None]:
    """The cache name and PNG of the tinted icon: the cached file when it is intact; else drawn
    now and stored, with the drawing (the caller need not decode it again)."""
    svg, cache_name = _tinted(name, colour, size_px)
    data = startup_cache.read(cache_name)
    if data is not None and png_intact(data, size_px):
        return cache_name, data, None
    drawn = _render(svg, size_px)
    data = _png(drawn)
    startup_cache.write(cache_name, data)
    return cache_name, data, drawn


def icon_file(name: str, colour: str, size_px: int) -> Path | None:
    """The tinted icon as a PNG file in the start-up cache, drawn there on a miss or when the
    file is damaged; None when the cache cannot keep it (a read-only folder). Checked on every
    call (no memo): a style sheet names the file, so it must be there when Qt reads it."""
    cache_name, data, drawn = _png_of(name, colour, size_px)
    if drawn is not None and startup_cache.read(cache_name) != data:
        return None  # drawn, but the cache did not keep it
    return startup_cache.path(cache_name)


def png_intact(data: bytes | None, size_px: int) -> bool:
    """Whether ``data`` is a whole PNG of ``size_px`` square: signature, every chunk's CRC, the
    header's size and the end chunk, checked without decoding (a cut-off or damaged file fails)."""
    if not data or not data.startswith(PNG_SIGNATURE):
        return False
    at, size_ok = len(PNG_SIGNATURE), False
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        body = data[at + 4:at + 8 + length]  # chunk type and data
        crc = data[at + 8 + length:at + 12 + length]
        if len(body) != 4 + length or len(crc) != 4 or zlib.crc32(body) != int.from_bytes(crc, "big"):
            return False
        if body[:4] == b"IHDR":
            size_ok = length >= 8 and int.from_bytes(body[4:8], "big") == size_px == int.from_bytes(body[8:12], "big")
        if body[:4] == b"IEND":
            return size_ok and at + 12 + length == len(data)
        at += 12 + length
    return False


@lru_cache(maxsize=128)
def pixmap(name: str, colour: str, size_px: int) -> QPixmap:
    _cache_name, data, drawn = _png_of(name, colour, size_px)
    if drawn is not None:
        return drawn
    loaded = QPixmap()
    if loaded.loadFromData(data, "PNG"):
        return loaded
    return _render(_tinted(name, colour, size_px)[0], size_px)  # intact chunks, undecodable data


def _render(svg: bytes, size_px: int) -> QPixmap:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    drawn = QPixmap(size_px, size_px)
    drawn.fill(QColor(0, 0, 0, 0))  # transparent (not Qt.GlobalColor: see ui.enum_names)
    painter = QPainter(drawn)
    renderer.render(painter)
    painter.end()
    return drawn


def _png(image: QPixmap) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def icon(name: str, colour: str, size_px: int) -> QIcon:
    from PySide6.QtGui import QIcon  # here: its Python type costs ~3.5 ms (see icon_file)

    return QIcon(pixmap(name, colour, size_px))
