"""What every screen may use: configuration, voice, theme tokens and navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ui.theme import THEMES, Tokens

if TYPE_CHECKING:  # not imported at start-up: the home screen paints before the voice exists
    from kiosk.config import KioskConfig
    from kiosk.session import ResidentSession
    from kiosk.voice import Voice


class UiContext:
    """``voice`` and ``session`` are None only while ``ui.app.run`` paints the home screen, before
    ``MainWindow.start_services`` fills them in; every other screen is created after that.

    A plain class, not a dataclass: it is built before the first paint (see ui.theme).
    """

    def __init__(
        self,
        config: KioskConfig,
        voice: Voice | None = None,
        session: ResidentSession | None = None,
        runtime: Any = None,  # kiosk.runtime.Runtime: database, sync, devices, run_blocking (None in some tests)
        font_scale: float = 1.0,
        theme: str = "standard",
        navigate: Callable[..., None] | None = None,
        request_exit: Callable[[], None] | None = None,
    ) -> None:
        self.config = config
        self.voice = voice
        self.session = session
        self.runtime = runtime
        self.font_scale = font_scale
        self.theme = theme
        self.navigate: Callable[..., None] = navigate or (lambda name, **params: None)
        self.request_exit: Callable[[], None] = request_exit or (lambda: None)

    @property
    def tokens(self) -> Tokens:
        return Tokens(self.font_scale, THEMES[self.theme])
