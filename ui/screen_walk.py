"""Renders every registered screen in every state offscreen: shared by screenshot and audit."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.i18n import set_language
from kiosk.runtime import start_runtime
from ui.app import application, build_window
from ui.main_window import MainWindow
from ui.screens import registered_screens

WIDTH_PX, HEIGHT_PX = 1920, 1080
OVERLAY_STATE = "idle_countdown"


@dataclass(frozen=True)
class Shot:
    screen: str
    state: str


@contextmanager
def offscreen_window(config: KioskConfig, lang: str, scale: float, theme: str | None = None) -> Iterator[MainWindow]:
    """A kiosk window at 1920x1080 with silent speech and no database, for rendering."""
    application()
    cfg = config.model_copy(deep=True)
    cfg.ui.language = lang  # type: ignore[assignment]
    cfg.ui.font_scale = scale
    if theme:
        cfg.ui.theme = theme  # type: ignore[assignment]
    runtime = start_runtime(cfg, speech=False, database=False, logs=False)
    window = build_window(runtime)
    window.resize(WIDTH_PX, HEIGHT_PX)
    window.show()
    try:
        set_language(lang)
        window.retranslate()
        yield window
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        runtime.close()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def walk(window: MainWindow, only: tuple[str, ...] = ()) -> Iterator[Shot]:
    """Show each screen in each of its states (and the idle overlay over home); yield each.

    ``only``: screen-name prefixes to render (all when empty; the overlay only when "home" matches).
    """
    for name in sorted(registered_screens()):
        if only and not name.startswith(only):
            continue
        screen = window.screens.show(name, remember=False)
        for state in screen.states():
            screen.set_state(state)
            settle()
            yield Shot(name, state)
        screen.reset_personal()
    if only and not "home".startswith(only):
        return
    window.screens.show("home", remember=False)
    window.overlay.show_countdown(window.ctx.config.session.countdown_s)
    settle()
    yield Shot("home", OVERLAY_STATE)
    window.overlay.hide()
    settle()
