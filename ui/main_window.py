"""The kiosk window: top bar, screen area and idle overlay, wired to session, voice and i18n.

Built in two steps so the home screen paints first (``ui.app.run``): ``MainWindow(ctx,
services=False)`` builds what the home screen shows (top bar, screen area, lock-down), from a
small set of imports and without Python's copy of the ``Qt`` namespace (see ui.enum_names);
``start_services(runtime)`` then adds the resident session, voice, idle overlay, technician mode
and the core's events. ``MainWindow(ctx)`` does both at once (tests, screenshots, the audit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.i18n import current_language, set_language, tr
from ui.context import UiContext
from ui.lockdown import Lockdown
from ui.screen_manager import ScreenManager
from ui.staff_mode import guarded_staff_screen
from ui.tech_mode import guarded_screen
from ui.theme import stylesheet
from ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from kiosk.session import Tick
    from ui.bridge import CoreBridge
    from ui.tech_mode import TechMode
    from ui.widgets.idle_overlay import IdleOverlay

SESSION_POLL_MS = 250
_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, *, watch_input: bool = True, services: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self._watching_input = False
        self.services_started = False
        self.tech: TechMode | None = None  # the services, from start_services()
        self.overlay: IdleOverlay | None = None
        self.bridge: CoreBridge | None = None
        self.session_timer: QTimer | None = None
        self.setObjectName("mainWindow")
        ctx.navigate = self.navigate
        # The style sheet before any widget exists: each is polished once, by its first show.
        QApplication.instance().setStyleSheet(stylesheet(ctx.tokens))
        self._build()
        if services:
            self.start_services(watch_input=watch_input)

    # layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        """What the home screen shows: the top bar and the screen area (and the lock-down)."""
        central = QWidget()
        central.setObjectName("screenArea")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # In the window before they are built: a polished widget moved into a styled window is
        # polished again (the top bar fits its buttons, which polishes them, as it is built).
        self.setCentralWidget(central)
        self.top_bar = TopBar(self.ctx.tokens, volume=self.ctx.config.voice.volume, parent=central)
        self.top_bar.set_font_scale(self.ctx.font_scale)  # the configured default shows as chosen
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("screenStack")
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        self.screens = ScreenManager(self.ctx, self.stack)
        self.lockdown = Lockdown(self)  # asks self.tech whether a technician allowed the exit

    def start_services(self, runtime: Any = None, *, watch_input: bool = True) -> None:
        """Session, voice, idle overlay, technician mode, the core's events; then the prompt.

        ``runtime`` (kiosk.runtime.Runtime) fills the context when the window was built before
        the runtime existed (``ui.app.run``); with None the context already holds them.
        """
        if self.services_started:
            return
        if runtime is not None:
            from kiosk.session import ResidentSession

            cfg = self.ctx.config
            self.ctx.runtime = runtime
            self.ctx.voice = runtime.voice
            self.ctx.session = ResidentSession(cfg.session.idle_timeout_s, cfg.session.countdown_s)
        from ui.bridge import CoreBridge
        from ui.tech_mode import TechMode
        from ui.widgets.idle_overlay import IdleOverlay

        self.top_bar.set_volume(self.ctx.voice.volume)
        self.overlay = IdleOverlay(self)
        self.tech = TechMode(self)  # technician sign-in; the only way out of a locked-down window
        self.bridge = CoreBridge()
        self.session_timer = QTimer(self)
        self.session_timer.setInterval(SESSION_POLL_MS)
        self._connect()
        self.services_started = True
        if watch_input:
            self.watch_input()
        if self.screens.current is not None:  # shown before the services: title, back, prompt now
            self._on_screen_changed(self.screens.current.name)

    def _connect(self) -> None:
        bar = self.top_bar
        bar.home_clicked.connect(lambda: self.navigate("home"))
        bar.back_clicked.connect(self.go_back)
        bar.repeat_clicked.connect(self.ctx.voice.repeat)
        bar.font_scale_chosen.connect(self.set_font_scale)
        bar.volume_chosen.connect(self.set_volume)
        bar.language_toggled.connect(self.toggle_language)
        bar.technician_requested.connect(lambda: self.navigate("tech_home"))  # sign-in first
        bar.staff_requested.connect(lambda: self.navigate("staff_home"))  # help desk: staff sign-in first
        self.overlay.continue_clicked.connect(self._resume)
        self.screens.screen_changed.connect(self._on_screen_changed)
        self.bridge.sync_status_changed.connect(bar.set_sync_status)
        self.bridge.settings_changed.connect(self.apply_server_settings)
        self.session_timer.timeout.connect(self._poll_session)
        self.session_timer.start()

    def watch_input(self) -> None:
        """Every touch or key anywhere keeps the resident's session alive (an application filter).

        ``run()`` installs it just after the first paint: the first event for one of Qt's private
        classes (the native window) that reaches Python makes shiboken create the Python enums of
        every Qt Widgets class, about 40 ms that the home screen need not wait for.
        """
        if not self._watching_input:
            QApplication.instance().installEventFilter(self)
            self._watching_input = True

    # navigation ------------------------------------------------------------------------------
    def navigate(self, name: str, **params: object) -> None:
        name = guarded_staff_screen(name, self.ctx.session)  # staff screens need a staff sign-in (#8)
        self.screens.show(guarded_screen(name, self.tech is not None and self.tech.signed_in), **params)

    def go_back(self) -> None:
        history = self.screens.history
        if history and (guarded_screen(history[-1], self.tech.signed_in) != history[-1]
                        or guarded_staff_screen(history[-1], self.ctx.session) != history[-1]):
            history.clear()  # never back into technician mode without signing in
        if self.screens.back() is None:
            self.navigate("home")

    def _on_screen_changed(self, name: str) -> None:
        screen = self.screens.current
        if screen is None:
            return
        if screen.starts_session:
            self.ctx.session.start("touch")
        self.top_bar.set_back_enabled(bool(self.screens.history))
        self.setWindowTitle(screen.title())
        self.speak_current()

    def speak_current(self) -> None:
        screen = self.screens.current
        if screen is not None:
            self.ctx.voice.speak_prompt(screen.prompt(), current_language())

    # preferences -----------------------------------------------------------------------------
    def apply_theme(self) -> None:
        tokens = self.ctx.tokens
        QApplication.instance().setStyleSheet(stylesheet(tokens))
        self.top_bar.apply_tokens(tokens)
        for screen in self.screens.screens.values():
            for tile in getattr(screen, "tiles", []):
                tile.apply_tokens(tokens)

    def set_font_scale(self, scale: float) -> None:
        self.ctx.font_scale = scale
        self.top_bar.set_font_scale(scale)
        self.apply_theme()

    def set_volume(self, volume: float) -> None:
        self.ctx.voice.set_volume(volume)
        self.top_bar.set_volume(volume)
        self.ctx.voice.say(tr("Volume {level}", level=self.top_bar.volume_word()), current_language())

    def set_language(self, lang: str) -> None:
        set_language(lang)
        self.retranslate()
        self.speak_current()

    def toggle_language(self) -> None:
        self.set_language("en" if current_language() == "zh_CN" else "zh_CN")

    def retranslate(self) -> None:
        self.top_bar.retranslate()
        self.overlay.retranslate()
        self.screens.retranslate_all()
        screen = self.screens.current
        if screen is not None:
            self.setWindowTitle(screen.title())

    # session ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self._handle_ticks(self.ctx.session.touch())
        return False

    def _poll_session(self) -> None:
        self._handle_ticks(self.ctx.session.poll())

    def _handle_ticks(self, ticks: list[Tick]) -> None:
        from kiosk.session import SessionEvent  # imported by start_services() already

        assert self.overlay is not None
        for tick in ticks:
            if tick.event is SessionEvent.COUNTDOWN_STARTED:
                self.overlay.show_countdown(tick.seconds_left)
                self.ctx.voice.say(self.overlay.prompt(), current_language())
            elif tick.event is SessionEvent.COUNTDOWN_TICK:
                self.overlay.show_countdown(tick.seconds_left)
                self.ctx.voice.say(str(tick.seconds_left), current_language())
            elif tick.event is SessionEvent.RESUMED:
                self.overlay.hide()
                self.ctx.voice.stop()
            elif tick.event is SessionEvent.ENDED:
                self.end_session()

    def _resume(self) -> None:
        self._handle_ticks(self.ctx.session.touch())

    def end_session(self) -> None:
        """Forget the resident: personal data dropped, home, defaults for the next person."""
        self.overlay.hide()
        self.screens.reset_personal_all()
        defaults = self.ctx.config.ui
        self.ctx.voice.reset_defaults()
        self.top_bar.set_volume(self.ctx.voice.volume)
        if self.ctx.font_scale != defaults.font_scale:
            self.set_font_scale(defaults.font_scale)
        if current_language() != defaults.language:
            set_language(defaults.language)
            self.retranslate()
        self.navigate("home")

    def apply_server_settings(self, keys: tuple[str, ...]) -> None:
        """Re-apply what the window copied from the config when the server changed it (no restart).

        Time-outs apply at once; the language, text size and theme are the defaults for the next
        person, so they apply now only when nobody is using the kiosk (never under a finger).
        """
        session, cfg = self.ctx.session, self.ctx.config
        session.idle_timeout_s = cfg.session.idle_timeout_s
        session.countdown_s = cfg.session.countdown_s
        at_home = self.screens.current is not None and self.screens.current.name == "home"
        if any(key.startswith("ui.") for key in keys) and not session.active and at_home:
            if self.ctx.theme != cfg.ui.theme:
                self.ctx.theme = cfg.ui.theme
                self.apply_theme()
            self.end_session()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        super().resizeEvent(event)
        if self.overlay is not None and self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())

    def shutdown(self) -> None:
        """Stop timers and listeners before the window goes away (tests check nothing leaks)."""
        QApplication.instance().removeEventFilter(self)
        self.top_bar.stop_timers()
        if self.services_started:
            self.session_timer.stop()
            self.bridge.close()
            self.ctx.voice.stop()
            self.tech.close()
        self.lockdown.release()  # shutting down: the window may close now

    def lock_down(self) -> None:
        """Frameless full screen on top; close and escape keys refused until a technician exits."""
        self.lockdown.engage()

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        self.shutdown()
        super().closeEvent(event)
