"""Optional voice note for a report: record up to 60 s with a countdown, then use it or record again."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout

from devices.microphone.base import MAX_NOTE_S
from kiosk.i18n import _, sentences, tr
from ui.icons import icon
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_parts import RequestsScreen, card, go_back, resident_reason, seconds_text, set_texts, text_label

log = logging.getLogger(__name__)

MIC_ERROR = "microphone.not_found"
SAMPLE_ELAPSED_S = 14.0


@register_screen
class RequestsVoiceScreen(RequestsScreen):
    """States: default (ready), recording (countdown), recorded, error (no microphone)."""

    name = "requests_voice"
    progressed = Signal(float)  # seconds recorded, from the microphone's thread

    def build(self) -> None:
        from ui.qt_microphone import install

        install()  # the "system" microphone records through QtMultimedia, on this (the Qt) thread
        self.flow: Flow | None = None
        self.recording: Any = None  # devices.microphone.base.Recording once finished
        self.elapsed_s = 0.0
        self.error_key = ""
        self.microphone: Any = None
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsVoiceHeading", "heading")
        layout.addWidget(self.heading)
        box = card("requestsVoiceCard")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(gap, gap, gap, gap)
        inner.setSpacing(gap)
        self.picture = QLabel()
        self.picture.setObjectName("requestsVoicePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = text_label("requestsVoiceHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = self.label("requestsVoiceCountdown", "title")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setObjectName("requestsVoiceProgress")
        self.bar.setRange(0, int(MAX_NOTE_S * 10))
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(32)
        inner.addStretch(1)
        for widget in (self.picture, self.hint, self.countdown, self.bar):
            inner.addWidget(widget)
        inner.addStretch(1)
        layout.addWidget(box, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.start_button = self.button("requestsVoiceStart")
        self.stop_button = self.button("requestsVoiceStop")
        self.use_button = self.button("requestsVoiceUse")
        self.again_button = self.button("requestsVoiceAgain", "secondary")
        self.remove_button = self.button("requestsVoiceRemove", "secondary")
        self.cancel_button = self.button("requestsVoiceCancel", "secondary")
        for btn in (self.start_button, self.stop_button, self.use_button, self.again_button, self.remove_button,
                    self.cancel_button):
            buttons.addWidget(btn)
        buttons.insertStretch(0, 1)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        state = self.state
        tokens = self.ctx.tokens
        self.heading.setText(_("Record a voice note"))
        self.picture.setPixmap(icon("microphone", tokens.palette.text, tokens.px(120)).pixmap(tokens.px(120)))
        self.picture.setVisible(state in ("default", "error"))
        self.countdown.setStyleSheet(f"font-size: {tokens.px(96)}px; font-weight: bold;")
        self.hint.setText(self._hint())
        left_s = max(0.0, MAX_NOTE_S - self.elapsed_s)
        if state == "recording":
            self.countdown.setText(tr("{seconds} seconds left", seconds=int(left_s + 0.999)))
        elif state == "recorded":
            self.countdown.setText(tr("Your voice note: {length}", length=seconds_text(self.elapsed_s)))
        else:
            self.countdown.setText("")
        self.countdown.setVisible(state in ("recording", "recorded"))
        self.bar.setValue(int(self.elapsed_s * 10))
        self.bar.setVisible(state == "recording")
        set_texts(self.start_button, _("Start recording"))
        set_texts(self.stop_button, _("Stop"))
        set_texts(self.use_button, _("Use this note"))
        set_texts(self.again_button, _("Record again"))
        set_texts(self.remove_button, _("No voice note"))
        set_texts(self.cancel_button, _("Go back"))
        has_note = bool(self.flow is not None and self.flow.draft.voice_note)
        self.start_button.setVisible(state == "default")
        self.stop_button.setVisible(state == "recording")
        self.use_button.setVisible(state == "recorded")
        self.again_button.setVisible(state in ("recorded", "error"))
        self.remove_button.setVisible(state != "recording" and has_note)
        self.cancel_button.setVisible(state != "recording" and not has_note)

    def _hint(self) -> str:
        if self.state == "recording":
            return _("Please speak now. Touch Stop when you are done.")
        if self.state == "recorded":
            return _("Use this note, or record it again.")
        if self.state == "error":
            return sentences(_(self.error_key or MIC_ERROR), _("You can send the report without a voice note."))
        return tr("Say what is wrong and where, in your own words. At most {seconds} seconds.",
                  seconds=int(MAX_NOTE_S))

    def connect_signals(self) -> None:
        self.progressed.connect(self._on_progress)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.use_button.clicked.connect(self.use)
        self.again_button.clicked.connect(self.again)
        self.remove_button.clicked.connect(self.remove)
        self.cancel_button.clicked.connect(lambda: go_back(self))

    def prompt(self) -> str:
        if self.state == "recording":  # only spoken if asked for (Listen again): the note would hear it
            return self._hint()
        return sentences(_("Record a voice note."), self._hint(),
                         _("Touch Start recording when you are ready.") if self.state == "default" else "")

    def title(self) -> str:
        return _("Record a voice note")

    def states(self) -> list[str]:
        return ["default", "recording", "recorded", "error"]

    def set_state(self, state: str) -> None:
        if self.flow is None:
            self.flow = sample_flow("safety_hazard")
        if state in ("recording", "recorded") and self.microphone is None and self.recording is None:
            self.elapsed_s = SAMPLE_ELAPSED_S
        if state == "error":
            self.error_key = self.error_key or MIC_ERROR
        super().set_state(state)

    def reset_personal(self) -> None:
        self._cancel()
        self.flow, self.recording, self.elapsed_s, self.error_key = None, None, 0.0, ""
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            self.flow = flow
        self.recording, self.elapsed_s, self.error_key = None, 0.0, ""
        super().set_state("default")

    def leave(self) -> None:
        super().leave()
        self._cancel()

    # recording ---------------------------------------------------------------------------------
    def start(self) -> None:
        hub = getattr(self.runtime, "devices", None)
        microphone = hub.get("microphone") if hub is not None else None
        if microphone is None:
            report = hub.state("microphone") if hub is not None else None
            self.error_key = resident_reason(report.reason_key if report is not None else "", "microphone")
            self.show_state("error")
            return
        self.ctx.voice.stop()  # the kiosk's own voice must not end up in the note
        self.microphone, self.elapsed_s, self.recording = microphone, 0.0, None
        future = microphone.record_async(MAX_NOTE_S, self.progressed.emit)
        super().set_state("recording")
        self.watch(future, self._recorded, self._failed)

    def _on_progress(self, elapsed_s: float) -> None:
        if self.state == "recording":
            self.elapsed_s = elapsed_s
            self.retranslate()

    def stop(self) -> None:
        if self.microphone is not None:
            self.microphone.stop()

    def _recorded(self, recording: Any) -> None:
        self.microphone = None
        self.recording = recording
        self.elapsed_s = recording.duration_s
        self.show_state("recorded")

    def _failed(self, exc: BaseException) -> None:
        self.microphone = None
        from devices.errors import Cancelled

        if isinstance(exc, Cancelled):
            return
        log.warning("voice note not recorded: %s", type(exc).__name__)
        self.error_key = resident_reason(getattr(exc, "key", ""), "microphone")
        self.show_state("error")

    def _cancel(self) -> None:
        microphone, self.microphone = self.microphone, None
        if microphone is not None and microphone.recording:
            microphone.cancel()

    def again(self) -> None:
        self.recording, self.elapsed_s, self.error_key = None, 0.0, ""
        self.start()

    def use(self) -> None:
        if self.flow is not None and self.recording is not None:
            draft = self.flow.draft
            draft.voice_note, draft.voice_note_mime = self.recording.data, self.recording.mime
            draft.voice_note_s = self.recording.duration_s
        go_back(self)

    def remove(self) -> None:
        if self.flow is not None:
            draft = self.flow.draft
            draft.voice_note, draft.voice_note_mime, draft.voice_note_s = None, None, None
        go_back(self)
