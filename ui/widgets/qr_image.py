"""A QR code drawn on screen (segno): the fallback when paper fails, and tickets shown on screen."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.i18n import _


class QrImage(QLabel):
    """A QLabel showing ``payload`` as a QR code of about ``size_px`` pixels, with a quiet zone."""

    def __init__(self, object_name: str = "qrImage") -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName(_("QR code"))
        self.setStyleSheet("background: white;")  # a QR needs a light quiet zone in every theme
        self.payload = ""

    def set_payload(self, payload: str, size_px: int = 360) -> None:
        """Draw ``payload``; an empty payload clears the image."""
        self.payload = payload
        if not payload:
            self.clear()
            return
        qr = segno_make(payload)
        modules = qr.symbol_size(border=4)[0]
        scale = max(2, size_px // modules)
        buffer = io.BytesIO()
        qr.save(buffer, kind="png", scale=scale, border=4)
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        self.setPixmap(pixmap)
        self.setFixedSize(pixmap.size())


def segno_make(payload: str):  # type: ignore[no-untyped-def]
    """The QR symbol for ``payload`` (segno picks the mode: alphanumeric for our ASCII tokens)."""
    import segno

    return segno.make_qr(payload, error="m")
