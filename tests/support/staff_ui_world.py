"""A kiosk window on a real runtime and an injectable session clock for the help-desk screen tests."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from kiosk.session import ResidentSession
from server.ops.staff import DEMO_PIN
from support.ops_world import pull_changes, set_community, staff_change
from support.tech_ui_world import click, find
from ui.app import application
from ui.context import UiContext
from ui.main_window import MainWindow

STAFF_ID = "S-0001"
COMMUNITY = "C-01"


class MonoClock:
    """A monotonic clock the test moves (the session's idle logic reads it)."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def pull_staff_directory(runtime: Any, pin: str = DEMO_PIN) -> None:
    """The kiosk knows its community and has pulled S-0001 (staff, demo PIN) and S-0002 (technician)."""
    set_community(runtime.database, COMMUNITY)
    pull_changes(runtime.database,
                 staff_change(STAFF_ID, "周*燕", "staff", COMMUNITY, pin),
                 staff_change("S-0002", "吴**", "technician", COMMUNITY, pin))


@contextlib.contextmanager
def staff_window(qtbot: Any, runtime: Any, clock: MonoClock | None = None) -> Iterator[MainWindow]:
    """The kiosk window on ``runtime`` with the session on ``clock``, at home."""
    application()
    cfg = runtime.config
    session = ResidentSession(cfg.session.idle_timeout_s, cfg.session.countdown_s, clock or MonoClock())
    ctx = UiContext(config=cfg, voice=runtime.voice, session=session, runtime=runtime,
                    font_scale=cfg.ui.font_scale, theme=cfg.ui.theme)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    try:
        yield win
    finally:
        win.navigate("home")  # leave the staff screens: scanner listeners and timers stop
        win.shutdown()
        win.close()


def tap_clock(qtbot: Any, win: MainWindow) -> None:
    """Two quick taps on the clock: the discreet staff entry."""
    clock_button = find(win, QToolButton, "topClock")
    qtbot.mouseClick(clock_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(clock_button, Qt.MouseButton.LeftButton)


def sign_in(qtbot: Any, win: MainWindow, pin: str = DEMO_PIN, staff_id: str = STAFF_ID) -> None:
    """Through the front door: a tap on the clock, the name, the PIN."""
    tap_clock(qtbot, win)
    assert win.screens.current.name == "staff_signin"
    wait_for_button(qtbot, win, f"staffSigninName_{staff_id}")
    click(qtbot, win, f"staffSigninName_{staff_id}")
    for digit in pin:
        click(qtbot, win, f"staffSigninKey_{digit}")
    click(qtbot, win, "staffSigninSubmit")
    qtbot.waitUntil(lambda: win.screens.current.name == "staff_home", timeout=10_000)


def wait_for_button(qtbot: Any, win: MainWindow, name: str, timeout: int = 10_000) -> None:
    from PySide6.QtWidgets import QPushButton

    def shown() -> bool:
        QApplication.processEvents()
        button = win.findChild(QPushButton, name)
        return button is not None and button.isVisible()

    qtbot.waitUntil(shown, timeout=timeout)
