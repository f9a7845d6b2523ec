"""A kiosk window on a real runtime for the technician-screen tests, and a PIN pad driver."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.config import KioskConfig, load
from kiosk.staff.pins import hash_pin
from ui.app import application, build_window

TECH_PIN = "246810"


def config_with_pin(pin: str = TECH_PIN, base: KioskConfig | None = None) -> KioskConfig:
    config = (base or load(None)).model_copy(deep=True)
    config.technician.pin_hash = hash_pin(pin)
    return config


def find(window: Any, cls: type, name: str) -> Any:
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


@contextlib.contextmanager
def kiosk_window(qtbot: Any, runtime: Any) -> Iterator[Any]:
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    try:
        yield win
    finally:
        win.navigate("home")  # leave technician screens: their threads and timers stop
        win.shutdown()
        win.close()


def click(qtbot: Any, window: Any, name: str) -> None:
    QApplication.processEvents()  # widgets added to a shown layout appear on the next event round
    button = find(window, QPushButton, name)
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be touched now"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_pin(qtbot: Any, window: Any, pin: str) -> None:
    for digit in pin:
        click(qtbot, window, f"techSigninKey_{digit}")


def sign_in(qtbot: Any, window: Any, pin: str = TECH_PIN) -> None:
    """Through the front door: the technician menu asks for the PIN first."""
    window.navigate("tech_home")
    assert window.screens.current.name == "tech_signin"
    type_pin(qtbot, window, pin)
    click(qtbot, window, "techSigninSubmit")
    qtbot.waitUntil(lambda: window.screens.current.name == "tech_home", timeout=10_000)
