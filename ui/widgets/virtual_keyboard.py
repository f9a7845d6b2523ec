"""Whether and how the on-screen keyboard (Qt Virtual Keyboard, pinyin for Chinese) is enabled.

Light on purpose: ui.app calls enable_input_method() before the QApplication exists, and
QtQuick is only loaded (ui.widgets.keyboard_panel) when a resident opens the keyboard.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

IM_MODULE = "qtvirtualkeyboard"
QML = Path(__file__).resolve().parent.parent.parent / "assets" / "qml" / "keyboard_panel.qml"


def plugin_present() -> bool:
    """Whether this Qt ships the virtual keyboard input-context plugin."""
    folder = os.path.join(plugins_dir(), "platforminputcontexts")
    try:  # a listing, not Path.glob: glob compiles a pattern, and this runs before the first paint
        return any("qtvirtualkeyboardplugin" in name for name in os.listdir(folder))
    except OSError:
        return False


def plugins_dir() -> str:
    """Qt's plugin folder: the PySide6 wheel's own when this is a wheel (no QLibraryInfo, whose
    Python type costs ~0.4 ms before the first paint), else what Qt reports (a distribution's Qt)."""
    import PySide6

    wheel = os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins")
    if os.path.isdir(wheel):
        return wheel
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)


def enable_input_method() -> None:
    """Select the virtual keyboard as Qt's input method, embedded (no floating window of its own).

    Must run before the QApplication is created; an operator's own QT_IM_MODULE wins.
    """
    if QApplication.instance() is not None or not plugin_present():
        return
    os.environ.setdefault("QT_IM_MODULE", IM_MODULE)
    if os.environ["QT_IM_MODULE"] == IM_MODULE:
        os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")


def available() -> bool:
    """Whether typing through the embedded keyboard works in this process."""
    return os.environ.get("QT_IM_MODULE") == IM_MODULE and plugin_present() and QML.exists()
