"""What every screen may use: configuration, voice, theme tokens and navigation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kiosk.config import KioskConfig
from kiosk.session import ResidentSession
from kiosk.voice import Voice
from ui.theme import THEMES, Tokens


@dataclass
class UiContext:
    config: KioskConfig
    voice: Voice
    session: ResidentSession
    runtime: Any = None  # kiosk.runtime.Runtime: database, sync, devices, run_blocking (None in some tests)
    font_scale: float = 1.0
    theme: str = "standard"
    navigate: Callable[..., None] = field(default=lambda name, **params: None)
    request_exit: Callable[[], None] = field(default=lambda: None)

    @property
    def tokens(self) -> Tokens:
        return Tokens(self.font_scale, THEMES[self.theme])
