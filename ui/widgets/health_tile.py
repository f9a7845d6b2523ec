"""A measurement tile: picture, name and either a short hint or, when not ready, why (in words)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from ui.widgets.vitals_picture import VitalsPicture


class MeasureTile(QPushButton):
    """One big target per measurement kind (or the full check); disabled tiles say why."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName(f"healthTile_{kind}")
        self.setProperty("measureTile", True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 8, 16, 8)
        row.setSpacing(16)
        self.picture = VitalsPicture(f"healthTile_{kind}_picture")
        self.name_label = QLabel()
        self.name_label.setObjectName(f"healthTile_{kind}_name")
        self.name_label.setProperty("role", "tileName")
        self.status_label = QLabel()
        self.status_label.setObjectName(f"healthTile_{kind}_status")
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addStretch(1)
        for lab in (self.name_label, self.status_label):
            lab.setWordWrap(True)
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            texts.addWidget(lab)
        texts.addStretch(1)
        self.picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)

    def set_picture(self, kind: str, size_px: int, ink: str, accent: str, words: str) -> None:
        self.picture.show_kind(kind, size_px, ink, accent, words)

    def set_texts(self, name: str, status: str, ready: bool) -> None:
        self.name_label.setText(name)
        self.status_label.setText(status)
        self.setEnabled(ready)
        self.setAccessibleName(name if ready else f"{name}: {status}")
        self.setAccessibleDescription(status)
