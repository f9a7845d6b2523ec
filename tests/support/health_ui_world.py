"""Health cabin screen tests: simulated devices at test speed, a real kiosk window, clicks by objectName."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.app import application, build_window

VITALS = ("bp", "spo2", "thermometer", "scale", "glucose")
WAIT_MS = 20_000  # a loaded 2-core machine; the twins themselves take well under a second


def sim_devices(time_scale: float = 0.02, printer: dict[str, Any] | None = None,
                **scenarios: Any) -> dict[str, dict[str, Any]]:
    """Every vitals role on its twin (scenario per role, default "normal") plus the simulated printer."""
    devices: dict[str, dict[str, Any]] = {
        role: {"driver": "sim", "scenario": scenarios.get(role, "normal"), "time_scale": time_scale}
        for role in VITALS
    }
    devices["printer"] = {"driver": "sim", "paper_mm": 58, "fault": "ok", **(printer or {})}
    return devices


def open_window(qtbot: Any, runtime: Any) -> Any:
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    return win


def close_window(win: Any) -> None:
    win.shutdown()
    win.close()


def button(win: Any, name: str) -> QPushButton:
    found = win.findChild(QPushButton, name)
    assert found is not None, f"no button {name!r}"
    return found


def click(qtbot: Any, win: Any, name: str) -> None:
    target = button(win, name)
    assert target.isVisible() and target.isEnabled(), f"{name} is not a live button"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def wait_screen(qtbot: Any, win: Any, name: str, state: str | None = None, timeout: int = WAIT_MS) -> Any:
    def there() -> bool:
        current = win.screens.current
        return current is not None and current.name == name and (state is None or current.state == state)

    qtbot.waitUntil(there, timeout=timeout)
    return win.screens.current


def measure_current(qtbot: Any, win: Any) -> str:
    """Touch Start on the measure screen and wait until the device answered; the new state."""
    screen = wait_screen(qtbot, win, "health_measure")
    click(qtbot, win, "healthMeasureStart")
    qtbot.waitUntil(lambda: win.screens.current is not screen or screen.state != "measuring", timeout=WAIT_MS)
    return win.screens.current.state if win.screens.current is screen else win.screens.current.name
