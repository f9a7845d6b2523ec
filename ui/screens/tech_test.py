"""Technician device tests: a reading, a test page, a scan, a spoken sentence (engine, voice, rate)."""

from __future__ import annotations

import logging
from typing import Any

from devices.base import CancelToken
from devices.speech.voices import language_family
from kiosk.config import DeviceRole
from kiosk.i18n import N_, _, current_language, sentences, tr
from ui.screens import register_screen
from ui.tech_parts import TechPromptHandler, TechScreen, device_words, set_role, set_selected, set_texts

log = logging.getLogger(__name__)

READING_ROLES = (("bp", N_("Blood pressure")), ("spo2", N_("Oxygen")), ("thermometer", N_("Temperature")),
                 ("scale", N_("Weight")), ("glucose", N_("Glucose")))
ENGINES = (("pyttsx3", N_("Speech engine")), ("fake", N_("Simulated twin")))
RATES = ((110, N_("Slow")), (140, N_("Normal")), (170, N_("Fast")))
VOICES_SHOWN = 3
SCAN_SECONDS = 15.0
SPEECH_SECONDS = 10.0  # a test sentence is said within this; the sim twin never finishes
READING_SECONDS = 30.0
SAMPLE_VOICES = (("sit/cmn", "Chinese (Mandarin)"), ("gmw/en-us", "English (America)"))


def speech_config(config: Any, engine: str, voice_id: str, rate_wpm: int) -> Any:
    """A copy of ``config`` whose speech role is ``engine`` with the chosen voice and rate."""
    voices = {current_language(): voice_id} if voice_id else {}
    role = DeviceRole.model_validate({"driver": engine, "rate_wpm": rate_wpm, "volume": config.voice.volume,
                                      "voices": voices, "player": config.voice.player})
    return config.model_copy(update={"devices": {**config.devices, "speech": role}})


def outcome_lines(outcome: Any) -> list[str]:
    from kiosk.device_format import format_outcome

    return format_outcome(outcome)


@register_screen
class TechTestScreen(TechScreen):
    """States: default, running (with the device's prompts), passed, failed."""

    name = "tech_test"

    def build(self) -> None:
        self.reading_role = "bp"
        self.engine = "pyttsx3"
        self.voice_id = ""
        self.rate_wpm = 140
        self.voices: list[tuple[str, str]] = []
        self.lines: list[str] = []
        self.live_line = ""
        self.testing = ""
        self._cancel: CancelToken | None = None
        self._handler: TechPromptHandler | None = None
        layout = self.tech_column()
        self.heading = self.label("techTestHeading", "heading")
        layout.addWidget(self.heading)
        reading = self.row()
        self.reading_button = self.action("techTestReading")
        reading.addWidget(self.reading_button)
        self.role_buttons = {}
        for role, _words in READING_ROLES:
            self.role_buttons[role] = self.choice(f"techTestRole_{role}")
            reading.addWidget(self.role_buttons[role])
        reading.addStretch(1)
        layout.addLayout(reading)
        others = self.row()
        self.print_button = self.action("techTestPrint")
        self.scan_button = self.action("techTestScan")
        self.voice_button = self.action("techTestVoice")
        for btn in (self.print_button, self.scan_button, self.voice_button):
            others.addWidget(btn)
        others.addStretch(1)
        layout.addLayout(others)
        voice = self.row()
        self.engine_buttons = {e: self.choice(f"techTestEngine_{e}") for e, _w in ENGINES}
        self.rate_buttons = {r: self.choice(f"techTestRate_{r}") for r, _w in RATES}
        for btn in (*self.engine_buttons.values(), *self.rate_buttons.values()):
            voice.addWidget(btn)
        voice.addStretch(1)
        layout.addLayout(voice)
        voices = self.row()
        self.voice_buttons = [self.choice(f"techTestVoiceChoice_{i}") for i in range(VOICES_SHOWN + 1)]
        for btn in self.voice_buttons:
            voices.addWidget(btn)
        voices.addStretch(1)
        layout.addLayout(voices)
        self.result = self.text("techTestResult", "tech")
        layout.addWidget(self.result, 1)
        actions = self.row()
        self.cancel_button = self.action("techTestCancel", secondary=True)
        self.live = self.text("techTestLive", "techStrong")
        self.back_button = self.action("techTestBack", secondary=True)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.live, 1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Device tests"))
        set_texts(self.reading_button, _("Test reading"))
        for role, words in READING_ROLES:
            set_texts(self.role_buttons[role], _(words))
            set_selected(self.role_buttons[role], role == self.reading_role)
        set_texts(self.print_button, _("Test print"))
        set_texts(self.scan_button, _("Test scan"))
        set_texts(self.voice_button, _("Test voice"))
        for engine, words in ENGINES:
            set_texts(self.engine_buttons[engine], _(words), tr("Engine: {name}", name=_(words)))
            set_selected(self.engine_buttons[engine], engine == self.engine)
        for rate, words in RATES:
            set_texts(self.rate_buttons[rate], _(words), tr("Rate: {name}", name=_(words)))
            set_selected(self.rate_buttons[rate], rate == self.rate_wpm)
        choices = [("", _("Automatic voice"))] + [(vid, tr("Voice {name}", name=name)) for vid, name in self.voices]
        for btn, index in zip(self.voice_buttons, range(len(self.voice_buttons))):
            btn.setVisible(index < len(choices))
            if index < len(choices):
                set_texts(btn, choices[index][1])
                set_selected(btn, choices[index][0] == self.voice_id)
        running = self.state == "running"
        for btn in (self.reading_button, self.print_button, self.scan_button, self.voice_button):
            btn.setEnabled(not running)
        self.live.setText(self._live_text())
        self.live.setVisible(bool(self.live.text()))
        self.result.setText("\n".join(self.lines))
        set_role(self.result, {"passed": "techOk", "failed": "techAlert"}.get(self.state, "tech"))
        set_texts(self.cancel_button, _("Stop the test"))
        self.cancel_button.setVisible(running)
        set_texts(self.back_button, _("Technician menu"))

    def _live_text(self) -> str:
        if self.state != "running":
            return {"passed": _("The test passed."), "failed": _("The test did not pass.")}.get(self.state, "")
        return self.live_line or _("Testing…")

    def connect_signals(self) -> None:
        self.reading_button.clicked.connect(lambda: self.start(self.reading_role))
        self.print_button.clicked.connect(lambda: self.start("printer"))
        self.scan_button.clicked.connect(lambda: self.start("scanner"))
        self.voice_button.clicked.connect(lambda: self.start("speech"))
        for role, btn in self.role_buttons.items():
            btn.clicked.connect(lambda _c=False, r=role: self._pick(reading_role=r))
        for engine, btn in self.engine_buttons.items():
            btn.clicked.connect(lambda _c=False, e=engine: self._pick(engine=e))
        for rate, btn in self.rate_buttons.items():
            btn.clicked.connect(lambda _c=False, r=rate: self._pick(rate_wpm=r))
        for index, btn in enumerate(self.voice_buttons):
            btn.clicked.connect(lambda _c=False, i=index: self._pick_voice(i))
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("tech_home"))

    def prompt(self) -> str:
        if self.state in ("passed", "failed"):
            return sentences(self._live_text(), *self.lines[:1])
        if self.state == "running":
            return self._live_text()
        return sentences(_("Device tests."), _("Choose a test."))

    def title(self) -> str:
        return _("Device tests")

    def states(self) -> list[str]:
        return ["default", "running", "passed", "failed"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        self.voices = list(SAMPLE_VOICES)
        self.live_line = _("Please sit still and keep your arm relaxed.") if state == "running" else ""
        self.lines = {
            "passed": [tr("Printed {count} bytes; the printer reports: {status}.", count=1480, status=_("Ready"))],
            "failed": [tr("Error: {error}", error=_("The printer is out of paper."))],
        }.get(state, [])
        self.show_state(state)

    def _pick(self, **choice: Any) -> None:
        for key, value in choice.items():
            setattr(self, key, value)
        self.retranslate()

    def _pick_voice(self, index: int) -> None:
        self.voice_id = "" if index == 0 else self.voices[index - 1][0]
        self.retranslate()

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.lines, self.live_line = [], ""
        self.show_state("default")
        voice = getattr(self.ctx, "voice", None)
        backend = getattr(voice, "backend", None)
        if backend is not None:
            self.run(backend.voices, self._voices_known, lambda exc: None)

    def leave(self) -> None:
        self.cancel()
        super().leave()

    def _voices_known(self, voices: list[Any]) -> None:
        family = language_family(current_language())
        fitting = [v for v in voices if any(language_family(code) == family or code.startswith("cmn")
                                            and family == "zh" for code in v.languages)]
        self.voices = [(v.id, v.name) for v in fitting[:VOICES_SHOWN]]
        self.retranslate()

    # testing ---------------------------------------------------------------------------------------
    def start(self, role: str) -> None:
        runtime = self.runtime
        if runtime is None or self.state == "running":
            return
        from kiosk.device_admin import test_device

        config = runtime.config
        if role == "speech":
            config = speech_config(config, self.engine, self.voice_id, self.rate_wpm)
        self.testing = role
        self._cancel = CancelToken()
        self._handler = TechPromptHandler(self, self._device_event)
        cancel, handler = self._cancel, self._handler
        self.lines, self.live_line = [], ""
        self.show_state("running")
        seconds = {"scanner": SCAN_SECONDS, "speech": SPEECH_SECONDS}.get(role, READING_SECONDS)
        self.run(lambda: test_device(config, role, handler=handler, seconds=seconds, cancel=cancel),
                 self._done, self._crashed)

    def _device_event(self, handler: Any, key: str, params: dict[str, Any]) -> None:
        if handler is self._handler and self.state == "running":
            self.live_line = device_words(key, params)
            self.live.setText(self._live_text())

    def _done(self, outcome: Any) -> None:
        self._finish()
        self.lines = outcome_lines(outcome)
        self.show_state("passed" if outcome.ok else "failed", speak=True)

    def _crashed(self, exc: BaseException) -> None:
        self._finish()
        log.error("device test %s crashed: %s", self.testing, type(exc).__name__)
        self.lines = [tr("Error: {error}", error=f"{type(exc).__name__}: {exc}")]
        self.show_state("failed", speak=True)

    def _finish(self) -> None:
        if self._handler is not None:
            self._handler.close()
        self._handler, self._cancel = None, None

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
