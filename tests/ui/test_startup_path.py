"""The home screen paints first: the window is built in two steps, and what the first paint needs
is loaded without Python's copy of the Qt namespace, the runtime, the voice or the TOML parser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from benchmarks import startup_probe
from devices.speech.fake_backend import RecordingSpeech
from kiosk.config import load
from kiosk.i18n import set_language
from support.kiosk_world import kiosk_runtime
from ui import icons
from ui.app import application, build_home_window
from ui.enum_names import set_enum_property
from ui.lockdown import window_flags_matter
from ui.widgets.virtual_keyboard import plugins_dir

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "support.startup_child"], cwd=ROOT / "tests", env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_home_screen_paints_before_the_qt_namespace_runtime_voice_and_toml_parser_load(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CACHE_DIR": str(tmp_path / "cache"),
           "KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_LOG_DIR": str(tmp_path / "logs"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    first = _start(env)  # fills the start-up cache (parsed config, catalogue, icons)
    assert first["services_started"] is True and first["exit_code"] == 0
    second = _start(env)
    assert second == {"qt_namespace": False, "QDateTime": False, "QLibraryInfo": False, "QIcon": False,
                      "kiosk.runtime": False, "kiosk.voice": False,
                      "kiosk.session": False, "tomllib": False, "PySide6.QtSvg": False,
                      "services_started": True, "exit_code": 0}


def test_a_window_built_before_its_runtime_gets_session_voice_overlay_and_the_home_prompt(qtbot, tmp_path):
    application()
    config = load(None)
    set_language(config.ui.language)
    window = build_home_window(config)
    qtbot.addWidget(window)
    window.navigate("home")
    window.show()
    assert not window.services_started and window.overlay is None and window.ctx.voice is None
    assert window.screens.current.name == "home"
    with kiosk_runtime(tmp_path) as runtime:
        speech = RecordingSpeech()
        speech.open()
        runtime.voice.use_backend(speech)
        try:
            window.start_services(runtime)
            assert window.services_started and window.ctx.runtime is runtime and window.ctx.voice is runtime.voice
            assert window.ctx.session is not None and not window.ctx.session.active
            assert window.overlay is not None and window.tech is not None
            assert speech.spoken()[-1][0] == window.screens.current.prompt()  # the home prompt, once up
            window.start_services(runtime)  # a second call changes nothing
            qtbot.mouseClick(window.top_bar.home, Qt.MouseButton.LeftButton)  # the bar is wired now
            qtbot.mouseClick(window.findChild(QLabel, "tile_points_name"), Qt.MouseButton.LeftButton)
            assert window.screens.current.name == "points" and window.ctx.session.active
        finally:
            window.shutdown()
            window.close()


@pytest.mark.parametrize("part", ["icon", "name", "description"])
def test_a_tap_on_a_tiles_icon_or_words_opens_its_service(window, qtbot, part):
    qtbot.mouseClick(window.findChild(QLabel, f"tile_canteen_{part}"), Qt.MouseButton.LeftButton)
    assert window.screens.current.name == "canteen"


def test_the_top_bar_keeps_its_focus_policy_button_style_and_centred_status(window):
    bar = window.top_bar
    assert bar.home.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert bar.home.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
    assert bar.findChild(QLabel, "topSyncStatus").alignment() == Qt.AlignmentFlag.AlignCenter


def test_an_enum_property_set_by_name_is_checked(qtbot):
    button = QToolButton()
    qtbot.addWidget(button)
    set_enum_property(button, "toolButtonStyle", "ToolButtonTextBesideIcon")
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    for prop, keys in (("toolButtonStyle", "ToolButtonSideways"), ("text", "Home"), ("colour", "red")):
        with pytest.raises(ValueError, match=prop):
            set_enum_property(button, prop, keys)
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon and not button.text()


@pytest.mark.parametrize(("platform", "matter"), [("xcb", True), ("windows", True), ("offscreen", True),
                                                  ("wayland", False), ("wayland-egl", False)])
def test_frameless_and_on_top_flags_are_set_except_on_wayland(platform, matter):
    assert window_flags_matter(platform) is matter


def test_an_icon_is_drawn_once_then_read_from_the_start_up_cache(qtbot, tmp_path, monkeypatch):
    application()
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    icons.pixmap.cache_clear()
    drawn = icons.pixmap("home", "#12355B", 64).toImage()
    (cached,) = (tmp_path / "icons").glob("home-64-*.png")
    icons.pixmap.cache_clear()
    assert icons.pixmap("home", "#12355B", 64).toImage() == drawn
    assert QImage(str(cached)).convertToFormat(drawn.format()) == drawn
    for damage in (b"not a png", b""):
        cached.write_bytes(damage)
        icons.pixmap.cache_clear()
        assert icons.pixmap("home", "#12355B", 64).toImage() == drawn  # drawn again, not trusted
        assert cached.read_bytes() != damage
    icons.pixmap.cache_clear()
    assert icons.pixmap("home", "#FFFFFF", 64).toImage() != drawn  # another colour, another file
    assert len(list((tmp_path / "icons").glob("home-64-*.png"))) == 2
    icons.pixmap.cache_clear()


def test_the_qt_plugin_folder_found_without_qlibraryinfo_is_qts_own():
    reported = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    assert os.path.realpath(plugins_dir()) == os.path.realpath(reported)


def test_the_clock_shows_the_local_time(window):
    shown = window.top_bar.clock.text()
    assert len(shown) == 5 and shown[2] == ":" and 0 <= int(shown[:2]) < 24 and 0 <= int(shown[3:]) < 60


def test_the_start_up_probe_times_a_window_to_its_whole_first_frame(qtbot):
    """The bare and plain probes stop when the window's first frame is drawn, children and text
    included, as the kiosk's does; not when the window's own paint event opens the frame."""
    application()
    painted: list[float] = []

    class Child(QLabel):
        def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
            super().paintEvent(event)
            painted.append(time.perf_counter() - startup_probe.T0)

    window = QWidget()
    qtbot.addWidget(window)
    Child("你好", window)
    reported = startup_probe.first_frame(window)
    assert painted and reported >= painted[0]
