"""Optional words for a report, typed on the on-screen keyboard (pinyin for Chinese)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.i18n import _, current_language, sentences, tr
from ui.screens import register_screen
from ui.widgets import virtual_keyboard
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_parts import RequestsScreen, go_back, set_texts, text_label
from ui.widgets.requests_timeline import sample_words

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200  # a few sentences; the phrases and a voice note carry the rest
KEYBOARD_WIDTH_PX = 1400


@register_screen
class RequestsTextScreen(RequestsScreen):
    """States: default (box and keyboard), unavailable (this Qt has no virtual keyboard)."""

    name = "requests_text"

    def build(self) -> None:
        self.flow: Flow | None = None
        self.keyboard: QWidget | None = None
        gap = self.ctx.tokens.gap
        layout = self.column()
        top = QHBoxLayout()
        top.setSpacing(gap * 2)
        self.heading = self.label("requestsTextHeading", "heading")
        self.count = text_label("requestsTextCount", "muted")
        self.count.setWordWrap(False)
        self.done_button = self.button("requestsTextDone")
        self.clear_button = self.button("requestsTextClear", "secondary")
        top.addWidget(self.heading, 1)
        top.addWidget(self.count)
        top.addWidget(self.clear_button)
        top.addWidget(self.done_button)
        layout.addLayout(top)
        self.box = QPlainTextEdit()
        self.box.setObjectName("requestsTextBox")
        self.box.setTabChangesFocus(True)
        layout.addWidget(self.box, 1)
        self.notice = text_label("requestsTextNotice")
        layout.addWidget(self.notice)
        self.keyboard_row = QVBoxLayout()
        layout.addLayout(self.keyboard_row)

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.box.setStyleSheet(f"font-size: {tokens.body}px;")
        self.box.setMinimumHeight(round(tokens.body * 3.2))
        self.heading.setText(_("Type a few words"))
        self.box.setAccessibleName(_("Your words"))
        self.box.setPlaceholderText(_("For example: the light on the third floor flickers"))
        self.count.setText(tr("{count} of {max}", count=len(self.box.toPlainText()), max=MAX_TEXT_CHARS))
        self.notice.setText(_("Typing is not available on this kiosk. "
                              "Please use the sentences to tap, or record a voice note."))
        unavailable = self.state == "unavailable"
        self.notice.setVisible(unavailable)
        self.box.setVisible(not unavailable)
        self.count.setVisible(not unavailable)
        self.clear_button.setVisible(not unavailable)
        set_texts(self.done_button, _("Go back") if unavailable else _("Done"))
        set_texts(self.clear_button, _("Clear"))
        if self.keyboard is not None:
            self.keyboard.setVisible(not unavailable)
            self.keyboard.set_width(self._keyboard_width())  # type: ignore[attr-defined]
            self.keyboard.set_language(current_language())  # type: ignore[attr-defined]

    def connect_signals(self) -> None:
        self.box.textChanged.connect(self._changed)
        self.done_button.clicked.connect(self.done)
        self.clear_button.clicked.connect(self.box.clear)

    def prompt(self) -> str:
        if self.state == "unavailable":
            return self.notice.text()
        return sentences(_("Type a few words with the keyboard."),
                         _("For Chinese, type the pinyin and touch the character you want."),
                         _("Touch Done when you are finished."))

    def title(self) -> str:
        return _("Type a few words")

    def states(self) -> list[str]:
        return ["default", "unavailable"]

    def set_state(self, state: str) -> None:
        if self.flow is None:
            self.flow = sample_flow("repair")
            self.box.setPlainText(sample_words())
        if state == "default" and not virtual_keyboard.available():
            state = "unavailable"
        super().set_state(state)
        if state == "default":
            self._ensure_keyboard()

    def reset_personal(self) -> None:
        self.flow = None
        self.box.clear()
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            self.flow = flow
        self.box.setPlainText(self.flow.draft.text if self.flow is not None else "")
        self.box.moveCursor(self.box.textCursor().MoveOperation.End)
        self.set_state("default")
        if self.state == "default":
            self.box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _ensure_keyboard(self) -> None:
        """The keyboard (QtQuick) is created the first time a resident types, then kept."""
        if self.keyboard is not None:
            return
        try:
            from ui.widgets.keyboard_panel import KeyboardPanel

            panel = KeyboardPanel(self._keyboard_width())
        except Exception as exc:  # noqa: BLE001 - no keyboard is a state, not a crash
            log.error("on-screen keyboard unavailable: %s", type(exc).__name__)
            super().set_state("unavailable")
            return
        if not panel.loaded:
            panel.deleteLater()
            super().set_state("unavailable")
            return
        self.keyboard = panel
        panel.set_language(current_language())
        self.keyboard_row.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)

    def _keyboard_width(self) -> int:
        """Narrower at larger text sizes: the keyboard's height follows its width."""
        return round(KEYBOARD_WIDTH_PX / max(1.0, self.ctx.font_scale) ** 0.5)

    def _changed(self) -> None:
        text = self.box.toPlainText()
        if len(text) > MAX_TEXT_CHARS:
            cursor = self.box.textCursor()
            self.box.setPlainText(text[:MAX_TEXT_CHARS])
            cursor.setPosition(MAX_TEXT_CHARS)
            self.box.setTextCursor(cursor)
            return
        self.count.setText(tr("{count} of {max}", count=len(text), max=MAX_TEXT_CHARS))

    def done(self) -> None:
        if self.flow is not None and self.state == "default":
            self.flow.draft.text = self.box.toPlainText().strip()
        go_back(self)
