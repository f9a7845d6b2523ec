"""Big buttons of the requests screens: wrapping choice buttons, icon tiles, a paged choice grid."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import _, tr
from ui.icons import icon


def set_flag(widget: QWidget, name: str, value: object) -> None:
    """Change a style property and re-apply the style sheet (children too) to show it."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    for w in (widget, *widget.findChildren(QLabel)):
        w.style().unpolish(w)
        w.style().polish(w)
        w.update()


def set_texts(widget: QPushButton | QLabel, text: str, accessible: str | None = None) -> None:
    widget.setText(text)
    widget.setAccessibleName(accessible or text)


class WrapButton(QPushButton):
    """A big choice button whose words wrap onto more lines instead of being cut off."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setProperty("choice", True)
        self.setProperty("selected", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 2, 12, 2)
        self.text_label = QLabel()
        self.text_label.setObjectName(f"{object_name}_text")
        self.text_label.setProperty("role", "body")
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setStyleSheet("font-weight: bold;")
        self.text_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row.addWidget(self.text_label)

    def set_text(self, text: str, accessible: str | None = None) -> None:
        self.text_label.setText(text)
        self.setAccessibleName(accessible or text)

    def set_selected(self, selected: bool) -> None:
        set_flag(self, "selected", selected)

    def sizeHint(self):  # noqa: N802, ANN201 - Qt override: the label's wrapped size decides
        return self.layout().sizeHint()


def choice_button(object_name: str) -> WrapButton:
    return WrapButton(object_name)


def card(object_name: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(object_name)
    frame.setProperty("card", True)
    frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return frame


def text_label(object_name: str, role: str = "body") -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setProperty("role", role)
    label.setWordWrap(True)
    return label


class IconTile(QPushButton):
    """A big button with an icon above a name (category tiles, the requests menu)."""

    def __init__(self, object_name: str, icon_px: int) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setProperty("tile", "request")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.icon_px = icon_px
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 8, 4, 8)
        column.setSpacing(8)
        self.icon_label = QLabel()
        self.icon_label.setObjectName(f"{object_name}_icon")
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel()
        self.name_label.setObjectName(f"{object_name}_name")
        self.name_label.setProperty("role", "body")
        self.name_label.setWordWrap(True)
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label.setStyleSheet("font-weight: bold;")
        for lab in (self.icon_label, self.name_label):
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        column.addStretch(1)
        column.addWidget(self.icon_label)
        column.addWidget(self.name_label)
        column.addStretch(1)

    def set_content(self, icon_name: str, colour: str, name: str, accessible: str | None = None) -> None:
        if icon_name:
            self.icon_label.setPixmap(icon(icon_name, colour, self.icon_px).pixmap(self.icon_px, self.icon_px))
        self.icon_label.setVisible(bool(icon_name))
        self.name_label.setText(name)
        self.setAccessibleName(accessible or name)


class ChoicePager(QWidget):
    """A grid of big choice buttons with Previous / Next page buttons when the list is long.

    ``set_items([(key, text), ...])``; ``chosen(key)`` when one is touched. No scrolling: an
    elderly resident pages with two large buttons instead.
    """

    chosen = Signal(str)

    def __init__(self, object_name: str, columns: int, rows: int, gap_px: int) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.columns, self.rows = columns, rows
        self.items: list[tuple[str, str]] = []
        self.page = 0
        self.selected: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(gap_px)
        grid = QGridLayout()
        grid.setSpacing(gap_px)
        self.buttons: list[WrapButton] = []
        for index in range(columns * rows):
            btn = choice_button(f"{object_name}_{index}")
            policy = btn.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # a short last page keeps the same big cells
            btn.setSizePolicy(policy)
            btn.clicked.connect(lambda _c=False, i=index: self._clicked(i))
            self.buttons.append(btn)
            grid.addWidget(btn, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid, 1)
        paging = QHBoxLayout()
        paging.setSpacing(gap_px)
        self.previous_button = QPushButton()
        self.previous_button.setObjectName(f"{object_name}_previous")
        self.previous_button.setProperty("role", "secondary")
        self.next_button = QPushButton()
        self.next_button.setObjectName(f"{object_name}_next")
        self.next_button.setProperty("role", "secondary")
        self.page_label = text_label(f"{object_name}_page", "muted")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.next_button)
        self.paging = paging
        layout.addLayout(paging)
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // self.per_page))

    def set_items(self, items: Sequence[tuple[str, str]], page: int = 0) -> None:
        self.items = list(items)
        self.show_page(page)

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        start = self.page * self.per_page
        for offset, btn in enumerate(self.buttons):
            index = start + offset
            if index < len(self.items):
                key, text = self.items[index]
                btn.set_text(text)
                btn.set_selected(key in self.selected)
                btn.setVisible(True)
            else:
                btn.setVisible(False)
        many = self.pages > 1
        for widget in (self.previous_button, self.next_button, self.page_label):
            widget.setVisible(many)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)
        set_texts(self.previous_button, _("Previous page"))
        set_texts(self.next_button, _("Next page"))
        self.page_label.setText(tr("Page {page} of {pages}", page=self.page + 1, pages=self.pages))

    def set_selected(self, keys: set[str]) -> None:
        self.selected = set(keys)
        self.show_page(self.page)

    def _clicked(self, offset: int) -> None:
        index = self.page * self.per_page + offset
        if index < len(self.items):
            self.chosen.emit(self.items[index][0])
