"""Icons from assets/icons (SVG), tinted to the theme's ink colour.

A tinted icon is rendered once and kept as a PNG in the start-up cache (kiosk.startup_cache),
named by a checksum of the tinted SVG: the home screen's ten icons then load without QtSvg and
without parsing and drawing ten SVG files before the first paint.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap

from kiosk import startup_cache

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


@lru_cache(maxsize=128)
def pixmap(name: str, colour: str, size_px: int) -> QPixmap:
    svg = (ICON_DIR / f"{name}.svg").read_bytes().replace(b"currentColor", colour.encode("ascii"))
    cache_name = f"icons/{name}-{size_px}-{startup_cache.checksum(svg)}.png"
    cached = startup_cache.read(cache_name)
    if cached is not None:
        loaded = QPixmap()
        if loaded.loadFromData(cached, "PNG") and loaded.width() == size_px == loaded.height():
            return loaded
    drawn = _render(svg, size_px)
    startup_cache.write(cache_name, _png(drawn))
    return drawn


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
    return QIcon(pixmap(name, colour, size_px))
