"""A large home-screen tile: icon, service name and a short description, one big target."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from ui.icons import pixmap
from ui.theme import Tokens


class Tile(QPushButton):
    def __init__(self, service: str, tokens: Tokens) -> None:
        super().__init__()
        self.service = service
        self.setObjectName(f"tile_{service}")
        self.setProperty("tile", service)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row = QHBoxLayout(self)
        self._row = row
        self.icon_label = QLabel()
        self.icon_label.setObjectName(f"tile_{service}_icon")
        self.name_label = QLabel()
        self.name_label.setObjectName(f"tile_{service}_name")
        self.name_label.setProperty("role", "tileName")
        self.description_label = QLabel()
        self.description_label.setObjectName(f"tile_{service}_description")
        self.description_label.setProperty("role", "tileDescription")
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addStretch(1)
        for lab in (self.name_label, self.description_label):
            lab.setWordWrap(True)
            texts.addWidget(lab)
        texts.addStretch(1)
        # A press on the icon or a text reaches the tile: a plain QLabel ignores it, so Qt hands
        # it to the parent button (tested). The icon is centred in its row by default.
        row.addWidget(self.icon_label)
        row.addLayout(texts, 1)
        self.apply_tokens(tokens)

    def apply_tokens(self, tokens: Tokens) -> None:
        size = 88  # the icon stays put at larger text sizes so the words get the room
        self.icon_label.setPixmap(pixmap(self.service, tokens.palette.on_tile, size))
        self.icon_label.setFixedSize(size, size)
        self._row.setContentsMargins(24, 12, 16, 12)
        self._row.setSpacing(20)

    def set_texts(self, name: str, description: str) -> None:
        self.name_label.setText(name)
        self.description_label.setText(description)
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
