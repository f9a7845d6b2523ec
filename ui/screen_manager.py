"""Creates screens by name on first use, keeps a history, and switches the visible one."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from ui.context import UiContext
from ui.screens import screen_class
from ui.screens.base import Screen


class ScreenManager(QObject):
    screen_changed = Signal(str)

    def __init__(self, ctx: UiContext, stack: QStackedWidget) -> None:
        super().__init__()
        self.ctx = ctx
        self.stack = stack
        self.classes: dict[str, type[Screen]] = {}  # filled on first use: importing every screen costs start-up time
        self.screens: dict[str, Screen] = {}
        self.history: list[str] = []

    @property
    def current(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def screen(self, name: str) -> Screen:
        if name not in self.screens:
            if name not in self.classes:
                self.classes[name] = screen_class(name)
            screen = self.classes[name](self.ctx)
            self.screens[name] = screen
            self.stack.addWidget(screen)
        return self.screens[name]

    def show(self, name: str, *, remember: bool = True, **params: object) -> Screen:
        screen = self.screen(name)
        previous = self.current
        if previous is not None and previous is not screen:
            previous.leave()
            if remember and (not self.history or self.history[-1] != previous.name):
                self.history.append(previous.name)
        if name == "home":
            self.history.clear()
        screen.enter(**params)
        self.stack.setCurrentWidget(screen)
        self.screen_changed.emit(name)
        return screen

    def back(self) -> Screen | None:
        if not self.history:
            return None
        return self.show(self.history.pop(), remember=False)

    def retranslate_all(self) -> None:
        for screen in self.screens.values():
            screen.retranslate()

    def reset_personal_all(self) -> None:
        for screen in self.screens.values():
            screen.reset_personal()
