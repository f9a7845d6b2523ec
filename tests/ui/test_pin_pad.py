"""The PIN key pad of the technician and staff sign-ins: editing, and every key on screen at every text size."""

from __future__ import annotations

import pytest

from kiosk.config import load
from kiosk.runtime import start_runtime
from ui.app import application, build_window
from ui.pin_pad import MAX_PIN_DIGITS, PinPad


class Entry(PinPad):
    def __init__(self) -> None:
        self.pin = ""
        self.locked_until_s = 0.0


def test_digits_clear_and_delete_edit_the_pin_up_to_its_longest():
    entry = Entry()
    for key in "12345":
        entry.edit_pin(key)
    entry.edit_pin("delete")
    assert entry.pin == "1234" and not entry.pin_complete()
    assert entry.pin_dots() == "● ● ● ● ○ ○"
    for _ in range(20):
        entry.edit_pin("9")
    assert len(entry.pin) == MAX_PIN_DIGITS and entry.pin_complete()
    entry.edit_pin("clear")
    assert entry.pin == "" and entry.wait_s() == 0


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
def test_every_key_of_both_pads_is_wholly_on_screen(qtbot, scale):
    application()
    config = load(None)
    config.ui.font_scale = scale
    runtime = start_runtime(config, speech=False, database=False, logs=False)
    window = build_window(runtime)
    qtbot.addWidget(window)
    try:
        window.show()
        window.navigate("home")
        for name, state in (("staff_signin", "pin"), ("tech_signin", "default")):
            window.navigate(name)
            screen = window.screens.current
            assert screen.name == name
            screen.set_state(state)
            qtbot.wait(50)  # the layout settles
            for key, button in screen.keys.items():
                visible = button.visibleRegion().boundingRect()
                assert visible == button.rect(), f"{name} key {key} is cut to {visible} of {button.rect()}"
    finally:
        window.shutdown()
        window.close()
        runtime.close()
