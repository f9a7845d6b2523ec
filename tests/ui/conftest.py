"""A kiosk window on a recording speech twin and an injectable session clock."""

from __future__ import annotations

import pytest

from devices.speech.fake_backend import RecordingSpeech
from kiosk.config import load
from kiosk.i18n import set_language
from kiosk.session import ResidentSession
from kiosk.voice import Voice
from ui.app import application
from ui.context import UiContext
from ui.main_window import MainWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def speech():
    backend = RecordingSpeech()
    backend.open()
    return backend


@pytest.fixture
def window(qtbot, speech, clock):
    application()
    config = load(None)
    set_language(config.ui.language)
    voice = Voice(speech, default_volume=config.voice.volume, default_rate_wpm=config.voice.rate_wpm)
    ctx = UiContext(
        config=config,
        voice=voice,
        session=ResidentSession(config.session.idle_timeout_s, config.session.countdown_s, clock),
    )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    win.close()
    voice.close()
    set_language(config.ui.language)
