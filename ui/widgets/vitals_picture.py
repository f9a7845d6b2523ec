"""Simple, clear pictures of how to use each health device, and the category icons (QPainter)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel

# All drawing is in a 200 x 200 box, scaled to the requested size.
BOX = 200.0


def _pen(colour: str, width: float) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _draw_bp(p: QPainter, ink: str, accent: str) -> None:
    # A person seated at a table, forearm resting on it, the cuff on the upper arm at heart level.
    p.setPen(_pen(ink, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(QPointF(22, 66), QPointF(22, 184))  # chair back
    p.drawLine(QPointF(22, 130), QPointF(62, 130))  # chair seat
    p.drawEllipse(QPointF(46, 38), 18, 18)  # head
    p.drawLine(QPointF(46, 56), QPointF(46, 126))  # body
    p.drawLine(QPointF(46, 126), QPointF(96, 126))  # thigh, under the table
    p.drawLine(QPointF(96, 126), QPointF(96, 182))  # shin
    p.drawLine(QPointF(46, 66), QPointF(72, 106))  # upper arm
    p.drawLine(QPointF(72, 106), QPointF(132, 106))  # forearm on the table
    p.drawLine(QPointF(70, 112), QPointF(194, 112))  # table top
    p.drawLine(QPointF(184, 112), QPointF(184, 184))  # table leg
    p.setBrush(QColor(accent))
    p.setPen(_pen(ink, 4))
    p.drawPolygon(QPolygonF([QPointF(48, 72), QPointF(62, 64), QPointF(74, 86), QPointF(60, 94)]))  # cuff
    p.setBrush(Qt.BrushStyle.NoBrush)
    tube = QPainterPath(QPointF(68, 76))
    tube.cubicTo(QPointF(100, 56), QPointF(130, 60), QPointF(150, 82))
    p.drawPath(tube)
    p.setBrush(QColor(accent))
    p.drawRoundedRect(QRectF(142, 78, 48, 32), 6, 6)  # monitor on the table
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(QRectF(150, 84, 32, 14))


def _draw_spo2(p: QPainter, ink: str, accent: str) -> None:
    # A hand with the index finger slid into the oximeter clip.
    p.setPen(_pen(ink, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(14, 92, 70, 62), 22, 22)  # palm
    p.drawRoundedRect(QRectF(60, 100, 96, 28), 14, 14)  # index finger
    p.setBrush(QColor(accent))
    p.setPen(_pen(ink, 4))
    p.drawRoundedRect(QRectF(104, 70, 76, 34), 10, 10)  # upper jaw of the clip
    p.drawRoundedRect(QRectF(104, 124, 76, 26), 10, 10)  # lower jaw
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(QRectF(116, 78, 52, 18))  # its display
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(_pen(ink, 5))
    p.drawLine(QPointF(142, 40), QPointF(142, 60))  # arrow: slide the finger in
    p.drawLine(QPointF(132, 50), QPointF(142, 62))
    p.drawLine(QPointF(152, 50), QPointF(142, 62))


def _draw_scale(p: QPainter, ink: str, accent: str) -> None:
    # A person standing still, shoes off, in the middle of a flat scale.
    p.setPen(_pen(ink, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(100, 28), 18, 18)
    p.drawLine(QPointF(100, 46), QPointF(100, 112))
    p.drawLine(QPointF(100, 62), QPointF(72, 100))
    p.drawLine(QPointF(100, 62), QPointF(128, 100))
    p.drawLine(QPointF(100, 112), QPointF(84, 160))
    p.drawLine(QPointF(100, 112), QPointF(116, 160))
    p.setBrush(QColor(accent))
    p.setPen(_pen(ink, 4))
    p.drawRoundedRect(QRectF(40, 162, 120, 22), 8, 8)
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(QRectF(86, 167, 28, 12))


def _draw_thermometer(p: QPainter, ink: str, accent: str) -> None:
    # A face in profile with a forehead thermometer held in front of it.
    p.setPen(_pen(ink, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    head = QPainterPath(QPointF(60, 170))
    head.cubicTo(QPointF(20, 150), QPointF(20, 40), QPointF(80, 30))
    head.cubicTo(QPointF(110, 26), QPointF(118, 50), QPointF(116, 74))
    head.lineTo(QPointF(126, 96))
    head.lineTo(QPointF(114, 102))
    head.cubicTo(QPointF(116, 130), QPointF(100, 140), QPointF(90, 150))
    p.drawPath(head)
    p.setBrush(QColor(accent))
    p.setPen(_pen(ink, 4))
    p.drawRoundedRect(QRectF(140, 50, 44, 26), 8, 8)  # thermometer head, pointing at the forehead
    p.drawRoundedRect(QRectF(156, 72, 18, 64), 6, 6)  # handle
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(_pen(ink, 3))
    for k in range(3):  # the reading beam
        p.drawArc(QRectF(112 + 6 * k, 48 + 2 * k, 26 - 4 * k, 28 - 4 * k), 100 * 16, 160 * 16)


def _draw_glucose(p: QPainter, ink: str, accent: str) -> None:
    # A meter with a test strip in it and a small drop of blood on the strip's end.
    p.setPen(_pen(ink, 4))
    p.setBrush(QColor(accent))
    p.drawRoundedRect(QRectF(30, 70, 80, 110), 14, 14)
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(QRectF(42, 84, 56, 36))
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(QRectF(104, 116, 70, 16))  # strip
    p.setBrush(QColor(ink))
    drop = QPainterPath(QPointF(176, 72))
    drop.cubicTo(QPointF(160, 96), QPointF(164, 110), QPointF(176, 110))
    drop.cubicTo(QPointF(188, 110), QPointF(192, 96), QPointF(176, 72))
    p.drawPath(drop)


def _draw_full(p: QPainter, ink: str, accent: str) -> None:
    # A clipboard with a list of ticked lines: every ready device, one after another.
    p.setPen(_pen(ink, 5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(36, 24, 128, 160), 12, 12)
    p.setBrush(QColor(accent))
    p.drawRoundedRect(QRectF(72, 14, 56, 24), 6, 6)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for k in range(4):
        y = 64 + 32 * k
        p.drawPolyline(QPolygonF([QPointF(52, y), QPointF(60, y + 8), QPointF(74, y - 8)]))
        p.drawLine(QPointF(88, y), QPointF(148, y))


_DRAWINGS = {
    "full": _draw_full,
    "bp": _draw_bp,
    "spo2": _draw_spo2,
    "weight": _draw_scale,
    "temperature": _draw_thermometer,
    "glucose": _draw_glucose,
}


def _draw_icon(p: QPainter, icon: str, ink: str) -> None:
    p.setPen(_pen(ink, 16))
    p.setBrush(Qt.BrushStyle.NoBrush)
    if icon == "ok":
        p.drawEllipse(QPointF(100, 100), 84, 84)
        p.drawPolyline(QPolygonF([QPointF(58, 102), QPointF(88, 132), QPointF(144, 72)]))
    elif icon == "attention":
        p.drawPolygon(QPolygonF([QPointF(100, 18), QPointF(186, 178), QPointF(14, 178)]))
        p.drawLine(QPointF(100, 76), QPointF(100, 124))
        p.drawPoint(QPointF(100, 152))
    else:  # "doctor": a medical cross in a circle
        p.drawEllipse(QPointF(100, 100), 84, 84)
        p.drawLine(QPointF(100, 56), QPointF(100, 144))
        p.drawLine(QPointF(56, 100), QPointF(144, 100))


@lru_cache(maxsize=64)
def picture(kind: str, size_px: int, ink: str, accent: str) -> QPixmap:
    """The picture for a measurement kind (bp, spo2, temperature, weight, glucose)."""
    return _render(size_px, lambda p: _DRAWINGS[kind](p, ink, accent))


@lru_cache(maxsize=32)
def category_icon(icon: str, size_px: int, ink: str) -> QPixmap:
    """``ok`` (tick), ``attention`` (exclamation) or ``doctor`` (cross): never colour alone."""
    return _render(size_px, lambda p: _draw_icon(p, icon, ink))


def _render(size_px: int, draw) -> QPixmap:  # noqa: ANN001
    pixmap = QPixmap(size_px, size_px)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.scale(size_px / BOX, size_px / BOX)
    painter.setFont(QFont())
    draw(painter)
    painter.end()
    return pixmap


class VitalsPicture(QLabel):
    """A QLabel showing one device picture; ``show_kind`` switches it."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.kind = ""

    def show_kind(self, kind: str, size_px: int, ink: str, accent: str, description: str) -> None:
        self.kind = kind
        self.setPixmap(picture(kind, size_px, ink, accent))
        self.setFixedSize(size_px, size_px)
        self.setAccessibleName(description)
