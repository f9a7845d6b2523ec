"""Pieces shared by the requests screens: the look, the base screen, navigation helpers, words."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import N_, _, current_language, tr
from ui.screens.base import Screen
from ui.widgets.requests_buttons import (  # noqa: F401 - the screens import them from here
    ChoicePager, IconTile, WrapButton, card, choice_button, set_flag, set_texts, text_label,
)
from ui.theme import RADIUS_PX, Palette

STATUS_NAMES = {
    "submitted": N_("Submitted"),
    "accepted": N_("Accepted"),
    "dispatched": N_("Sent to a worker"),
    "in_progress": N_("Being handled"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
    "returned": N_("Returned"),
    "reopened": N_("Reopened"),
}
URGENCY_NAMES = {"normal": N_("Not urgent"), "urgent": N_("Urgent")}


DEVICE_REASONS = {
    "camera": (N_("camera.not_configured"), N_("camera.not_available")),
    "microphone": (N_("microphone.not_configured"), N_("microphone.not_available")),
}


def resident_reason(reason_key: str, role: str) -> str:
    """A device problem in words for a resident: the driver's own camera./microphone. key, or a
    plain "not here" / "not available now" (technicians' details stay in `kiosk doctor`)."""
    not_configured, not_available = DEVICE_REASONS[role]
    if reason_key.startswith(f"{role}."):
        return reason_key
    if reason_key == "device_hub.not_configured":
        return not_configured
    if role == "microphone" and reason_key.startswith("device.unavailable"):
        return "microphone.not_found"  # the system microphone's check: no sound card here
    return not_available


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def display_name(item: Any, lang: str | None = None) -> str:
    """A category, phrase or place in the current language (the catalog's zh/en texts)."""
    lang = lang or current_language()
    if hasattr(item, "name") and callable(item.name):
        return str(item.name(lang))
    return str(item.en if lang == "en" and getattr(item, "en", "") else item.zh)


def when_text(moment: datetime | None) -> str:
    """A date and time in local time: 11月21日 14:05 / 21 Nov 14:05."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    if current_language() == "en":
        return local.strftime("%d %b %H:%M").lstrip("0")
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def seconds_text(seconds: float) -> str:
    return tr("{seconds} s", seconds=int(round(seconds)))


# -- look ---------------------------------------------------------------------------------------
def screen_sheet(p: Palette) -> str:
    """Colours of the requests screens' cards and choice buttons (sizes stay in the app sheet)."""
    return f"""
QFrame[card="true"] {{ background: {p.surface}; border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; }}
QFrame[card="true"] QLabel {{ border: none; }}
QPushButton[choice="true"] {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border}; }}
QPushButton[choice="true"] QLabel {{ color: {p.text}; }}
QPushButton[choice="true"][selected="true"] {{ background: {p.primary}; color: {p.on_primary};
                                               border: 6px solid {p.focus}; }}
QPushButton[choice="true"][selected="true"] QLabel {{ color: {p.on_primary}; }}
QPushButton[tile="request"] {{ background: {p.tiles.get("requests", p.primary)}; color: {p.on_tile}; }}
QPushButton[tile="request"] QLabel {{ color: {p.on_tile}; }}
QLabel[banner="ok"] {{ background: {p.ok}; color: #FFFFFF; border-radius: {RADIUS_PX}px; padding: 12px; }}
QLabel[banner="alert"] {{ background: {p.alert}; color: #FFFFFF; border-radius: {RADIUS_PX}px; padding: 12px; }}
QLabel[banner="info"] {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
                         border-radius: {RADIUS_PX}px; padding: 12px; }}
"""


class RequestsScreen(Screen):
    """Base of the requests screens: their style sheet and a few helpers."""

    def __init__(self, ctx: Any) -> None:
        self._watchers: list[Any] = []
        super().__init__(ctx)
        self.setStyleSheet(screen_sheet(ctx.tokens.palette))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        """A screen always gets the whole area below the top bar, so its height never follows its
        width; the stack then sizes by minimum sizes. Words that need more room than they get show
        up as clipped text in ``kiosk audit``."""
        return False

    def set_state(self, state: str) -> None:
        """Change state with the layout held still: the widgets a state shows and hides must not
        be laid out one by one (a moment with both old and new widgets would make the whole screen
        stack taller than the display), and a hidden screen's layouts are redone here because Qt
        does not redo them while it is hidden."""
        top = self.layout()
        if top is None:
            super().set_state(state)
            return
        top.setEnabled(False)
        try:
            super().set_state(state)
        finally:
            top.setEnabled(True)
        for widget in reversed([self, *self.findChildren(QWidget)]):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()

    def column(self) -> QVBoxLayout:
        """The page layout, with thinner top and bottom margins than the default (room at 1.5x)."""
        layout = super().column()
        gap = self.ctx.tokens.gap
        layout.setContentsMargins(gap * 2, gap // 2, gap * 2, gap // 2)
        return layout

    @property
    def runtime(self) -> Any:
        return self.ctx.runtime

    @property
    def database(self) -> Any:
        return getattr(self.ctx.runtime, "database", None)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> None:
        """Run ``fn`` off the Qt thread; the outcome comes back here (dropped if the screen left)."""
        from ui.tasks import watch

        self._watchers = [w for w in self._watchers if _alive(w)]
        self._watchers.append(watch(self, self.ctx.runtime.run_blocking(fn), on_done, on_error))

    def watch(self, future: Any, on_done: Callable[[Any], None],
              on_error: Callable[[BaseException], None] | None = None) -> None:
        from ui.tasks import watch

        self._watchers = [w for w in self._watchers if _alive(w)]
        self._watchers.append(watch(self, future, on_done, on_error))

    def drop_pending(self) -> None:
        """Ignore the outcome of work still running (the resident left the screen)."""
        for watcher in self._watchers:
            if _alive(watcher):
                watcher.discard()
        self._watchers.clear()

    def leave(self) -> None:
        self.drop_pending()

    def show_state(self, state: str, speak: bool = True) -> None:
        """Switch state and speak the new prompt (a screen's own changes, not navigation)."""
        self.set_state(state)
        if speak:
            self.ctx.voice.speak_prompt(self.prompt(), current_language())


def _alive(watcher: Any) -> bool:
    try:
        watcher.objectName()
    except RuntimeError:  # the watcher delivered and was deleted
        return False
    return True


def go_back(screen: QWidget, fallback: str = "requests") -> None:
    """Like the top bar's Back (a sub-step is done: return to the step that opened it)."""
    back = getattr(screen.window(), "go_back", None)
    if callable(back):
        back()
    else:
        screen.ctx.navigate(fallback)  # type: ignore[attr-defined]


def restart_history(screen: QWidget, *names: str) -> None:
    """Forget the steps behind this screen (a filed report cannot be sent again with Back)."""
    manager = getattr(screen.window(), "screens", None)
    history = getattr(manager, "history", None)
    if isinstance(history, list):
        history[:] = list(names)


def later(screen: QWidget, fn: Callable[[], None]) -> None:
    """Run ``fn`` once the current navigation has finished (a screen that sends the resident on)."""
    QTimer.singleShot(0, screen, fn)
