"""Measure on one device (or each ready one in a full check): picture, spoken steps, live progress."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QSizePolicy, QVBoxLayout

from devices.base import CancelToken
from devices.errors import Cancelled, DeviceError
from devices.vitals.base import OPENING_PROMPTS, PROGRESS_COUNTDOWN, PROGRESS_CUFF_PRESSURE
from kiosk.health.measurement import Measurement, from_reading
from kiosk.i18n import _, current_language, sentences, tr
from ui.health_device import QtPromptHandler, role_readiness, translated
from ui.health_style import HealthStyled, accent_colour, half_scaled
from ui.health_visit import PICTURE_WORDS, HealthVisit, kind_title, role_of
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch
from ui.widgets.vitals_picture import VitalsPicture

log = logging.getLogger(__name__)

# Sample states for screenshots and the audit: (state, kind, progress key, params, fraction, error key).
SAMPLES: dict[str, tuple[str, str, str, dict[str, object], float, str]] = {
    "default": ("ready", "bp", "", {}, 0.0, ""),
    "measuring_bp": ("measuring", "bp", PROGRESS_CUFF_PRESSURE, {"cuff_mmhg": 142.0}, 0.35, ""),
    "measuring_glucose": ("measuring", "glucose", PROGRESS_COUNTDOWN, {"seconds_left": 3}, 0.4, ""),
    "ready_spo2": ("ready", "spo2", "", {}, 0.0, ""),
    "ready_temperature": ("ready", "temperature", "", {}, 0.0, ""),
    "ready_weight": ("ready", "weight", "", {}, 0.0, ""),
    "ready_glucose": ("ready", "glucose", "", {}, 0.0, ""),
    "error_cuff": ("error", "bp", "", {}, 0.0, "vitals.error.cuff_too_loose"),
    "error_movement": ("error", "bp", "", {}, 0.0, "vitals.error.body_movement"),
    "error_finger_out": ("error", "spo2", "", {}, 0.0, "vitals.error.finger_out"),
    "error_timeout": ("error", "temperature", "", {}, 0.0, "vitals.error.timeout"),
    "error_disconnected": ("error", "weight", "", {}, 0.0, "vitals.error.disconnected"),
    "error_implausible": ("error", "glucose", "", {}, 0.0, "vitals.implausible"),
}


def how_to(kind: str, driver: Any) -> str:
    """The device's own opening prompts, as one instruction to read before starting."""
    role = role_of(kind)
    if role == "thermometer":
        role = f"thermometer.{getattr(driver, 'site', 'forehead')}"
    return sentences(*(_(key) for key in OPENING_PROMPTS.get(role, ())))


@register_screen
class HealthMeasureScreen(HealthStyled, Screen):
    """``enter(visit=HealthVisit, kinds=(...), full=bool)``; then results or back to choose."""

    name = "health_measure"

    def build(self) -> None:
        self.visit: HealthVisit | None = None
        self.kinds: tuple[str, ...] = ("bp",)
        self.index = 0
        self.full = False
        self.taken: list[Measurement] = []
        self.instruction = ""
        self.error_text = ""
        self.done_note = ""
        self._cancel: CancelToken | None = None
        self._handler: QtPromptHandler | None = None
        self._pending: Any = None
        self._sample = False
        layout = self.column()
        top = QHBoxLayout()
        self.heading = self.label("healthMeasureHeading", "title")
        self.step = self.label("healthMeasureStep", "body", wrap=False)
        top.addWidget(self.heading, 1)
        top.addWidget(self.step, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.setSpacing(self.ctx.tokens.gap * 2)
        self.picture = VitalsPicture("healthMeasurePicture")
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        right = QVBoxLayout()
        right.setSpacing(self.ctx.tokens.gap)
        self.message = self.label("healthMeasureMessage", "heading")
        self.text = self.label("healthMeasureText", "body")
        values = QHBoxLayout()
        values.setSpacing(self.ctx.tokens.gap)
        self.value = self.label("healthMeasureValue", "vitalValue", wrap=False)
        self.unit = self.label("healthMeasureUnit", "body", wrap=False)
        self.bar = QProgressBar()
        self.bar.setObjectName("healthMeasureProgress")
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        values.addWidget(self.value)
        values.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBottom)
        values.addWidget(self.bar, 1, Qt.AlignmentFlag.AlignVCenter)
        for item in (self.message, self.text):
            item.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the column's width
            right.addWidget(item)
        right.addLayout(values)
        right.addStretch(1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(self.ctx.tokens.gap * 2)
        self.primary = self.button("healthMeasureStart", "primary")
        self.secondary = self.button("healthMeasureSkip", "secondary")
        buttons.addStretch(1)
        buttons.addWidget(self.primary)
        buttons.addWidget(self.secondary)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.apply_health_style()

    @property
    def kind(self) -> str:
        return self.kinds[min(self.index, len(self.kinds) - 1)]

    def _driver(self) -> Any:
        hub = getattr(self.ctx.runtime, "devices", None)
        return hub.get(role_of(self.kind)) if hub is not None else None

    # texts -------------------------------------------------------------------------------------
    def on_tokens_changed(self) -> None:
        tokens = self.ctx.tokens
        self.picture.show_kind(self.kind, half_scaled(tokens, 240), tokens.palette.text, accent_colour(tokens),
                               _(PICTURE_WORDS[self.kind]))

    def retranslate(self) -> None:
        self.on_tokens_changed()
        self.heading.setText(kind_title(self.kind))
        step = tr("Step {n} of {total}", n=self.index + 1, total=len(self.kinds)) if self.full else ""
        self.step.setText(sentences(self.done_note, step))
        self.step.setVisible(bool(self.step.text()))
        measuring = self.state == "measuring"
        if self.state == "error":
            self.message.setText(_("This measurement did not work."))
            self.text.setText(self.error_text)
        elif measuring:
            self.message.setText(_("Measuring…"))
            self.text.setText(self.instruction)
        else:
            self.message.setText(_("Please get ready"))
            self.text.setText(how_to(self.kind, self._driver()))
        self.value.setVisible(measuring and bool(self.value.text()))
        self.unit.setVisible(measuring and bool(self.value.text()))
        self.bar.setVisible(measuring)
        self.bar.setAccessibleName(_("Measurement progress"))
        self.primary.setVisible(not measuring)
        self.primary.setText(_("Try again") if self.state == "error" else _("Start measuring"))
        if measuring:
            self.secondary.setText(_("Stop"))
        elif self.full and self.index + 1 < len(self.kinds):
            self.secondary.setText(_("Skip, measure the next"))
        elif self.full or self.taken:
            self.secondary.setText(_("Skip, see my results"))
        else:
            self.secondary.setText(_("Choose another measurement"))
        for button in (self.primary, self.secondary):
            button.setAccessibleName(button.text())

    def prompt(self) -> str:
        if self.state == "error":
            return sentences(self.error_text, _("Touch Try again, or skip this measurement."))
        if self.state == "measuring":
            return self.instruction or _("Measuring…")
        return sentences(self.done_note, kind_title(self.kind), how_to(self.kind, self._driver()),
                         _("Touch Start measuring when you are ready."))

    def title(self) -> str:
        return kind_title(self.kind)

    # states ------------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return list(SAMPLES)

    def set_state(self, state: str) -> None:
        """Screenshot/audit walk only (flows use Screen.set_state): sample kinds, progress, device errors."""
        if state in SAMPLES:
            shown, kind, key, params, fraction, error = SAMPLES[state]
            self._sample = True
            self.visit, self.taken = HealthVisit(), []
            if kind == "bp":
                self.kinds, self.index, self.full, self.done_note = ("bp",), 0, False, ""
            else:  # the second step of a full check
                self.kinds = ("bp", kind) if kind != "bp" else ("bp",)
                self.index, self.full = 1, True
                self.done_note = tr("{kind} done.", kind=kind_title("bp"))
            self.error_text = translated(error) if error else ""
            self.instruction = _("vitals.prompt.bp.sit_still") if kind == "bp" else _("vitals.progress.settling")
            self.value.setText("")
            if key:
                self._progress(key, fraction, params)
            state = shown
        super().set_state(state)

    # flow --------------------------------------------------------------------------------------
    def connect_signals(self) -> None:
        self.primary.clicked.connect(self.start)
        self.secondary.clicked.connect(self._secondary)

    def enter(self, **params: object) -> None:
        self._stop()
        if "visit" in params:
            self._sample = False
            self.visit = params["visit"]  # type: ignore[assignment]
            self.kinds = tuple(params.get("kinds") or ("bp",))  # type: ignore[arg-type]
            self.full = bool(params.get("full", False))
            self.index = 0
            self.taken = []
            self.done_note = ""
        elif self.visit is None or self._sample:  # no visit (only the screenshot walk): a guest's BP
            self._sample, self.visit, self.taken = False, HealthVisit(), []
            self.kinds, self.index, self.full = ("bp",), 0, False
        Screen.set_state(self, "ready")

    def start(self) -> None:
        """Start (or try again) on the current kind's device; prompts and progress come back queued."""
        self._stop()
        driver = self._driver()
        if driver is None:
            readiness = role_readiness(getattr(self.ctx.runtime, "devices", None), role_of(self.kind))
            self._fail_with(readiness.reason)
            return
        self._cancel = CancelToken()
        self._handler = QtPromptHandler(self, self._device_event)
        self.instruction = ""
        self.value.setText("")
        self.bar.setValue(0)
        self._show("measuring")
        future = driver.measure_async(self._handler, self._cancel)
        role, driver_id = role_of(self.kind), driver.driver_id
        self._pending = watch(self, future, lambda reading: self._measured(reading, role, driver_id), self._failed)

    def _device_event(self, handler: QtPromptHandler, what: str, key: str, fraction: float | None,
                      params: dict[str, object]) -> None:
        if handler is not self._handler or self.state != "measuring":
            return  # a late event from a measurement that was stopped
        if what == "prompt":
            self.instruction = translated(key, params, fallback="vitals.progress.settling")
            self.text.setText(self.instruction)
            self.ctx.voice.speak_prompt(self.instruction, current_language())
        else:
            self._progress(key, fraction, params)

    def _progress(self, key: str, fraction: float | None, params: dict[str, object]) -> None:
        if key == PROGRESS_CUFF_PRESSURE:
            self.value.setText(f"{float(params.get('cuff_mmhg', 0.0)):.0f}")
            self.unit.setText(_("mmHg"))
        elif key == PROGRESS_COUNTDOWN:
            self.value.setText(str(params.get("seconds_left", "")))
            self.unit.setText(_("seconds to go"))
        self.value.setAccessibleName(translated(key, params, fallback="vitals.progress.settling"))
        self.value.setVisible(bool(self.value.text()))
        self.unit.setVisible(bool(self.value.text()))
        if fraction is not None:
            self.bar.setValue(round(max(0.0, min(1.0, fraction)) * 100))

    def _measured(self, reading: Any, role: str, driver_id: str) -> None:
        self._pending = None
        self._close_handler()
        try:
            measurement = from_reading(reading, role=role, driver_id=driver_id)
        except DeviceError as exc:
            self._failed(exc)
            return
        self.taken.append(measurement)
        self.ctx.voice.say(tr("{kind} done.", kind=kind_title(self.kind)), current_language())
        self._next(tr("{kind} done.", kind=kind_title(self.kind)))

    def _failed(self, exc: BaseException) -> None:
        self._pending = None
        self._close_handler()
        if isinstance(exc, Cancelled):
            Screen.set_state(self, "ready")
            return
        if isinstance(exc, DeviceError):
            log.info("measurement on %s failed: %s", role_of(self.kind), exc.key)
            self._fail_with(translated(exc.key, exc.params))
        else:
            log.error("measurement on %s failed: %s", role_of(self.kind), type(exc).__name__)
            self._fail_with(translated(""))

    def _fail_with(self, words: str) -> None:
        self.error_text = words
        self._show("error")

    def _secondary(self) -> None:
        if self.state == "measuring":
            self._stop()
            self._show("ready")
            return
        self._next(tr("{kind} skipped.", kind=kind_title(self.kind)))

    def _next(self, note: str) -> None:
        """On to the next device of a full check, else to the results (or back to choose)."""
        if self.index + 1 < len(self.kinds):
            self.index += 1
            self.done_note = note
            self._show("ready")
            return
        if not self.taken:
            self.ctx.navigate("health_choose")
            return
        visit = self.visit or HealthVisit()
        visit.measurements = list(self.taken)
        self.ctx.navigate("health_results", visit=visit, measurements=tuple(self.taken))

    def _show(self, state: str) -> None:
        Screen.set_state(self, state)
        self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def _close_handler(self) -> None:
        if self._handler is not None:
            self._handler.close()
            self._handler = None

    def _stop(self) -> None:
        """Cancel a running measurement (the driver stops at its next step) and forget its result."""
        if self._cancel is not None:
            self._cancel.cancel()
            self._cancel = None
        if self._pending is not None:
            self._pending.discard()
            self._pending = None
        self._close_handler()

    def leave(self) -> None:
        self._stop()
        if self.state == "measuring":
            Screen.set_state(self, "ready")

    def reset_personal(self) -> None:
        self._stop()
        self.visit, self.taken, self.done_note, self.error_text, self.instruction = None, [], "", "", ""
        self.kinds, self.index, self.full, self._sample = ("bp",), 0, False, False
        self.value.setText("")
        Screen.set_state(self, "default")
