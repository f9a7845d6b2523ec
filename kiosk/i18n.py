"""One gettext catalogue system for core and UI: zh_CN (default) and en, switched at run time."""

from __future__ import annotations

import gettext
import io
import os
import re
import threading
from pathlib import Path
from typing import Callable

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def locales_dir() -> Path:
    """Where the ``<lang>/LC_MESSAGES/*.po`` catalogues live (KIOSK_LOCALES_DIR overrides)."""
    env = os.environ.get("KIOSK_LOCALES_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "locales"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message, for the catalogue consistency test."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(text)}


def load_catalog(lang: str, directory: Path | None = None) -> gettext.GNUTranslations:
    """Merge every ``.po`` file of ``lang`` into one translations object (compiled in memory)."""
    directory = directory or locales_dir()
    merged: gettext.GNUTranslations | None = None
    for po_path in sorted((directory / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        part = gettext.GNUTranslations(buf)
        if merged is None:
            merged = part
        else:
            merged._catalog.update(part._catalog)  # type: ignore[attr-defined]
    if merged is None:
        raise FileNotFoundError(f"no catalogue for {lang} under {directory}")
    return merged


class Translator:
    """Current language, catalogues and listeners; records messages that had no translation."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._lock = threading.RLock()
        self._catalogs: dict[str, gettext.GNUTranslations] = {}
        self._language = DEFAULT_LANGUAGE
        self._listeners: list[Callable[[str], None]] = []
        self.missing: set[tuple[str, str]] = set()

    @property
    def language(self) -> str:
        return self._language

    def catalog(self, lang: str) -> gettext.GNUTranslations:
        with self._lock:
            if lang not in self._catalogs:
                self._catalogs[lang] = load_catalog(lang, self._directory)
            return self._catalogs[lang]

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; choose one of {LANGUAGES}")
        self.catalog(lang)
        with self._lock:
            changed = lang != self._language
            self._language = lang
            listeners = list(self._listeners)
        if changed:
            for listener in listeners:
                listener(lang)

    def subscribe(self, listener: Callable[[str], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def gettext(self, msgid: str, lang: str | None = None) -> str:
        lang = lang or self._language
        messages = self.catalog(lang)._catalog  # type: ignore[attr-defined]
        text = messages.get(msgid)
        if not text:
            self.missing.add((lang, msgid))
            return msgid
        return text

    def tr(self, msgid: str, lang: str | None = None, **params: object) -> str:
        text = self.gettext(msgid, lang)
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            self.missing.add((lang or self._language, msgid))
            return msgid.format(**params)


translator = Translator()


def _(msgid: str) -> str:
    """Translate ``msgid`` into the current language."""
    return translator.gettext(msgid)


def tr(msgid: str, **params: object) -> str:
    """Translate and fill ``{placeholders}``: ``tr("{n} points", n=5)``."""
    return translator.tr(msgid, **params)


def N_(msgid: str) -> str:  # noqa: N802
    """Mark for extraction; translate later with ``_``."""
    return msgid


def preload_catalogs_async() -> threading.Thread:
    """Compile every language's catalogue on a worker, so a later switch does no parsing."""

    def load_all() -> None:
        for lang in LANGUAGES:
            translator.catalog(lang)

    thread = threading.Thread(target=load_all, name="catalog-preload", daemon=True)
    thread.start()
    return thread


def set_language(lang: str) -> None:
    translator.set_language(lang)


def current_language() -> str:
    return translator.language
