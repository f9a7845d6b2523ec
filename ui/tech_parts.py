"""Shared parts of the technician screens: a denser style, choice buttons and background work."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from devices.base import PromptHandler
from kiosk.i18n import _, current_language, translator, tr
from ui.screens.base import Screen
from ui.tasks import FutureWatcher, watch
from ui.tech_mode import tech_mode
from ui.theme import RADIUS_PX, Tokens, contrast_ratio

log = logging.getLogger(__name__)

TECH_TEXT_PX = 28  # technician screens may be denser: the 28 px floor, scaled with the text size
TECH_GAP_PX = 16  # the minimum gap between targets


_CALL = QEvent.Type(QEvent.registerEventType())


class _Call(QEvent):
    def __init__(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        super().__init__(_CALL)
        self.fn, self.args = fn, args


class Relay(QObject):
    """Runs ``post``-ed calls on the Qt thread (from any thread); a deleted relay drops them.

    Posted events rather than ``Signal.emit`` from worker threads: PySide6 6.12 drops a
    reference to ``True`` on every Python-side emit, and driver threads call back often.
    """

    def post(self, fn: Callable[..., None], *args: Any) -> None:
        QCoreApplication.postEvent(self, _Call(fn, args))

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        if event.type() == _CALL:
            event.fn(*event.args)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class HubWatcher(Relay):
    """Calls ``on_change(role)`` on the Qt thread when a DeviceHub driver changes state."""

    def __init__(self, parent: QObject, on_change: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self._unsubscribe: Callable[[], None] | None = None

    def watch(self, hub: Any) -> None:
        self.stop()
        if hub is not None:
            self._unsubscribe = hub.subscribe(lambda role, _report: self.post(self._on_change, role))

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class TechPromptHandler(PromptHandler):
    """A device test's prompts and progress, delivered as ``on_event(handler, key, params)``
    on the Qt thread (the handler too, so a late event of a stopped test can be ignored)."""

    def __init__(self, parent: QObject, on_event: Callable[..., None]) -> None:
        self.relay = Relay(parent)
        self._on_event = on_event

    def prompt(self, key: str, **params: object) -> None:
        self.relay.post(self._on_event, self, key, dict(params))

    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        self.relay.post(self._on_event, self, key, dict(params))

    def close(self) -> None:
        self.relay.deleteLater()


def tech_sheet(t: Tokens) -> str:
    """Style of the technician screens (set on each screen, on top of the application's)."""
    p = t.palette
    text = t.px(TECH_TEXT_PX)
    ok = p.ok if contrast_ratio(p.ok, p.background) >= 7.0 else p.text  # high contrast: plain text colour
    alert = p.alert if contrast_ratio(p.alert, p.background) >= 7.0 else p.text
    return f"""
QLabel[role="tech"] {{ font-size: {text}px; }}
QLabel[role="techStrong"] {{ font-size: {text}px; font-weight: bold; }}
QPushButton[role="tech"], QPushButton[role="techSecondary"], QPushButton[role="choice"] {{
    min-width: 80px; min-height: 80px; font-size: {text}px; padding: 4px 16px;
}}
QPushButton[role="techSecondary"], QPushButton[role="choice"] {{
    background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
}}
QPushButton[role="choice"][selected="true"] {{
    background: {p.primary}; color: {p.on_primary}; border: 6px solid {p.focus};
}}
QPushButton[role="techSecondary"]:disabled, QPushButton[role="choice"]:disabled {{
    background: {p.surface}; color: {p.muted_text}; border: 3px dashed {p.border};
}}
QLineEdit, QPlainTextEdit {{
    font-size: {text}px; background: {p.surface}; color: {p.text};
    border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; padding: 4px 12px;
}}
QLineEdit {{ min-height: 80px; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 4px solid {p.focus}; }}
QLabel[role="techOk"] {{ font-size: {text}px; font-weight: bold; color: {ok}; }}
QLabel[role="techAlert"] {{ font-size: {text}px; font-weight: bold; color: {alert}; }}
"""


def set_selected(button: QPushButton, selected: bool) -> None:
    """Mark a choice button; a property (not :checked) so the colours reach the palette."""
    button.setProperty("selected", selected)
    button.style().unpolish(button)
    button.style().polish(button)


def set_role(widget: QWidget, role: str) -> None:
    if widget.property("role") != role:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def set_texts(widget: QPushButton, text: str, accessible: str | None = None) -> None:
    widget.setText(text)
    widget.setAccessibleName(accessible or text.replace("\n", " "))


def device_words(key: str, params: dict[str, object] | None = None) -> str:
    """A device or core message key in words (the key itself only if the catalogue lacks it)."""
    if not key:
        return ""
    if translator.gettext(key) == key:
        translator.missing.discard((translator.language, key))
        return tr("Code {key}", key=key)
    try:
        return tr(key, **(params or {}))
    except (KeyError, IndexError, ValueError):
        return _(key)


def breakable(text: str) -> str:
    """Paths and URLs may wrap after a slash (a zero-width space)."""
    return text.replace("/", "/\u200b")


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)  # out of the tree now (findChild, the audit), deleted later
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class TechScreen(Screen):
    """A technician screen: no resident session, denser style, work on the runtime's workers."""

    starts_session = False

    def show_refusal(self, exc: BaseException) -> None:
        """A PIN or card sign-in refused (kiosk.staff.auth.AuthError): locked with its wait, wrong
        with its message, or not ready when the failure has no message key. Used by the
        technician and staff sign-in screens (they hold ``locked_until_s``, ``_tick``, ``error_key``)."""
        key = getattr(exc, "key", "")
        if not key:
            log.error("sign-in failed: %s", type(exc).__name__)
            self.show_state("not_ready", speak=True)
            return
        wait_s = int(getattr(exc, "wait_s", 0) or 0)
        if wait_s > 0:
            self.locked_until_s = time.monotonic() + wait_s
            self.show_state("locked", speak=True)
            self._tick.start()
            return
        self.error_key, self.error_params = key, dict(getattr(exc, "params", {}) or {})
        self.show_state("wrong", speak=True)

    def __init__(self, ctx: Any) -> None:
        self._watchers: list[FutureWatcher] = []
        self._sheet_scale: tuple[float, str] | None = None
        super().__init__(ctx)
        self.apply_sheet()

    # style -----------------------------------------------------------------------------------
    def apply_sheet(self) -> None:
        tokens = self.ctx.tokens
        key = (tokens.scale, tokens.palette.name)
        if key != self._sheet_scale:
            self._sheet_scale = key
            self.setStyleSheet(tech_sheet(tokens))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.StyleChange:  # the text size or theme changed
            self.apply_sheet()
        super().changeEvent(event)

    @property
    def gap(self) -> int:
        return max(TECH_GAP_PX, round(self.ctx.tokens.gap * 0.67))

    # widgets ---------------------------------------------------------------------------------
    def tech_column(self) -> QVBoxLayout:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(self.gap * 2, self.gap, self.gap * 2, self.gap)
        layout.setSpacing(self.gap)
        return layout

    def row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(self.gap)
        return row

    def grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.gap)
        grid.setVerticalSpacing(self.gap)
        return grid

    def text(self, object_name: str, role: str = "tech", wrap: bool = True) -> QLabel:
        return self.label(object_name, role, wrap)

    def action(self, object_name: str, secondary: bool = False) -> QPushButton:
        return self.button(object_name, "techSecondary" if secondary else "tech")

    def choice(self, object_name: str) -> QPushButton:
        btn = self.button(object_name, "choice")
        btn.setProperty("selected", False)
        return btn

    # context ---------------------------------------------------------------------------------
    @property
    def runtime(self) -> Any:
        return self.ctx.runtime

    def operator_name(self) -> str:
        mode = tech_mode(self)
        operator = mode.operator if mode is not None else None
        return str(getattr(operator, "display_name", "") or _("Technician"))

    # background work ---------------------------------------------------------------------------
    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> bool:
        """Run blocking ``fn`` on a worker; results come back on the Qt thread. False: no runtime."""
        runtime = self.runtime
        if runtime is None:
            return False
        future = runtime.run_blocking(fn)
        self._watchers = [w for w in self._watchers if _alive(w)]
        self._watchers.append(watch(self, future, on_done, on_error or self.failed))
        return True

    def drop_pending(self) -> None:
        for watcher in self._watchers:
            if _alive(watcher):
                watcher.discard()
        self._watchers.clear()

    def failed(self, exc: BaseException) -> None:
        log.error("%s: background work failed: %s", self.name, type(exc).__name__)
        self.show_state("failed")

    def leave(self) -> None:
        self.drop_pending()

    def reset_personal(self) -> None:
        """Technician screens hold nothing of a resident (``set_state`` here means sample data)."""

    def show_state(self, state: str, speak: bool = False) -> None:
        """Switch to a live state (``set_state`` is for the sample states of screenshots)."""
        Screen.set_state(self, state)
        if speak:
            self.ctx.voice.speak_prompt(self.prompt(), current_language())


def _alive(watcher: FutureWatcher) -> bool:
    try:
        watcher.objectName()
    except RuntimeError:  # already delivered and deleted
        return False
    return True
