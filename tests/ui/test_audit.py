"""The accessibility audit passes on the real screens and catches each kind of breach."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.config import load
from ui import screens as screen_registry
from ui.audit import audit_view, run_audit, untranslated
from ui.screen_walk import Shot
from ui.screens.base import Screen


def test_real_screens_pass_the_audit_in_chinese_at_every_scale():
    findings = run_audit(load(None), ("zh_CN",), (1.0, 1.25, 1.5))
    assert not findings, "\n".join(map(str, findings[:20]))


class BadScreen(Screen):
    name = "audit_bad_example"

    def build(self) -> None:
        self.tiny = QLabel(self)
        self.tiny.setObjectName("tinyText")
        self.tiny.setStyleSheet("font-size: 14px; color: #999999;")
        self.tiny.setGeometry(10, 10, 400, 40)
        self.small_button = QPushButton(self)
        self.small_button.setStyleSheet("min-width: 0; min-height: 0; padding: 0; font-size: 30px;")
        self.small_button.setGeometry(10, 300, 40, 40)
        self.neighbour = QPushButton(self)
        self.neighbour.setObjectName("neighbour")
        self.neighbour.setAccessibleName("neighbour")
        self.neighbour.setGeometry(55, 300, 100, 100)
        self.cramped = QLabel(self)
        self.cramped.setObjectName("cramped")
        self.cramped.setWordWrap(False)
        self.cramped.setGeometry(10, 500, 60, 40)
        self.box = QWidget(self)  # a container laid out smaller than the button it holds
        self.box.setGeometry(600, 300, 200, 60)
        self.cut = QPushButton(self.box)
        self.cut.setObjectName("cutButton")
        self.cut.setAccessibleName("cut")
        self.cut.setGeometry(0, 0, 160, 100)

    def retranslate(self) -> None:
        self.tiny.setText("太小的字")
        self.cramped.setText("这一行文字太长了放不下")
        self.neighbour.setText("好")
        self.small_button.setText("x")
        self.cut.setText("好")

    def prompt(self) -> str:
        return ""


@pytest.fixture
def bad_screen_window(window):
    screen_registry.register_screen(BadScreen)
    window.screens.classes[BadScreen.name] = BadScreen
    try:
        window.screens.show(BadScreen.name)
        yield window
    finally:
        screen_registry._REGISTRY.pop(BadScreen.name, None)


def test_audit_names_widget_and_rule_for_every_breach(bad_screen_window, qtbot):
    qtbot.wait(50)
    findings = audit_view(bad_screen_window, Shot(BadScreen.name, "default"), "zh_CN", 1.0)
    rules = {(f.widget, f.rule) for f in findings}
    assert ("tinyText", "text size") in rules
    assert ("tinyText", "contrast") in rules
    assert ("QPushButton", "target size") in rules
    assert ("QPushButton", "object name") in rules
    assert ("QPushButton", "accessible name") in rules
    assert ("QPushButton", "target gap") in rules
    assert ("cramped", "clipped text") in rules
    assert ("cutButton", "clipped widget") in rules
    assert ("neighbour", "clipped widget") not in rules
    assert ("-", "spoken prompt") in rules
    assert all(f.screen == BadScreen.name for f in findings)


def test_untranslated_text_is_detected_by_script():
    assert untranslated("Back to home", "zh_CN")
    assert not untranslated("回到首页", "zh_CN")
    assert not untranslated("English", "zh_CN")
    assert untranslated("回到首页", "en")
    assert not untranslated("中文", "en")
    assert not untranslated("A++", "zh_CN")
