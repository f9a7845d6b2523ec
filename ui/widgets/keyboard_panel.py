"""The on-screen keyboard as a widget: Qt Virtual Keyboard's InputPanel in a QQuickWidget."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl, qInstallMessageHandler
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.widgets.virtual_keyboard import QML

log = logging.getLogger(__name__)

KEYBOARD_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}
HEIGHT_PER_WIDTH = 0.3125  # the default style's keyboard is 2560 x 800 design units


class KeyboardPanel(QQuickWidget):

    """The keyboard as a widget of ``width_px`` (its height follows). It never takes the focus,
    so the text box keeps it and receives what is typed (pinyin candidates included)."""

    def __init__(self, width_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardPanel")
        self.setAccessibleName("keyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self.setClearColor(self.palette().window().color())
        # Loading the keyboard logs from Qt's worker threads; a Python message handler (test
        # tools install one) would need the GIL that this call holds: a deadlock. Qt's own
        # handler takes the messages meanwhile.
        previous = qInstallMessageHandler(None)
        try:
            self.setSource(QUrl.fromLocalFile(str(QML)))
        finally:
            if previous is not None:
                qInstallMessageHandler(previous)
        for error in self.errors():
            log.error("keyboard QML: %s", error.toString())
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_width(width_px)

    @property
    def loaded(self) -> bool:
        return self.status() == QQuickWidget.Status.Ready and self.rootObject() is not None

    def set_width(self, width_px: int) -> None:
        height_px = round(width_px * HEIGHT_PER_WIDTH)
        root = self.rootObject()
        if root is not None:
            root.setProperty("width", width_px)
            height_px = int(root.property("implicitHeight") or height_px)
        self.setFixedSize(width_px, height_px)

    def set_language(self, lang: str) -> None:
        root = self.rootObject()
        if root is not None:
            root.setProperty("kioskLocale", KEYBOARD_LOCALES.get(lang, "en_US"))
