"""Qt's own strings (dialog buttons, context menus) in the kiosk's language."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.i18n import translator

_QT_LOCALES = {"zh_CN": "zh_CN", "en": "en"}


class QtTranslations:
    """Qt's own strings (dialog buttons, context menus) follow the kiosk's language."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.translator: QTranslator | None = None
        self._unsubscribe = translator.subscribe(self.load)
        self.load(translator.language)

    def load(self, lang: str) -> bool:
        if self.translator is not None:
            self.app.removeTranslator(self.translator)
            self.translator = None
        QLocale.setDefault(QLocale(_QT_LOCALES[lang]))
        if lang == "en":
            return True
        qt_translator = QTranslator(self.app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_translator.load(f"qtbase_{lang}", path):
            self.app.installTranslator(qt_translator)
            self.translator = qt_translator
            return True
        return False

    def close(self) -> None:
        self._unsubscribe()
