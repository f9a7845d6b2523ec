"""One gettext catalogue system for core and UI: zh_CN (default) and en, switched at run time."""

from __future__ import annotations

import gettext
import io
import os
import re
import threading
from pathlib import Path
from typing import Callable

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


def _compile(po_paths: list[Path], lang: str) -> bytes:
    """Merge the .po files into one .mo image (Babel: imported only when a catalogue changed)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang)
    for po_path in po_paths:
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id:
                    merged[message.id] = message
    buf = io.BytesIO()
    write_mo(buf, merged)
    return buf.getvalue()


class _CachedTranslations(gettext.GNUTranslations):
    """A merged catalogue read back from the start-up cache: marshal reads the whole table at C
    speed, where GNUTranslations' own .mo parser decodes each of ~1,300 messages in Python."""

    def __init__(self, table: tuple[dict, dict, str]) -> None:
        super().__init__()  # no file: gettext then leaves the parsing to us
        self._catalog, self._info, self._charset = table
        forms = self._info.get("plural-forms", "")
        plural = forms.split(";")[1].split("plural=")[1] if "plural=" in forms else ""
        self.plural = gettext.c2py(plural) if plural else (lambda n: int(n != 1))


def load_catalog(lang: str, directory: Path | None = None) -> gettext.GNUTranslations:
    """Every ``.po`` file of ``lang`` as one translations object.

    Parsing .po files with Babel takes ~45 ms, a large part of the start-up budget, so the merged
    catalogue is kept in the start-up cache (kiosk.startup_cache) under a name derived from the
    files' paths, sizes and modification times; a changed catalogue gets a new name and is
    compiled again.
    """
    from kiosk import startup_cache

    directory = directory or locales_dir()
    folder = directory / lang / "LC_MESSAGES"
    try:  # a listing, not Path.glob, which compiles a pattern: this runs before the first paint
        po_paths = sorted(folder / name for name in os.listdir(folder) if name.endswith(".po"))
    except OSError:
        po_paths = []
    if not po_paths:
        raise FileNotFoundError(f"no catalogue for {lang} under {directory}")
    stats = [p.stat() for p in po_paths]
    signature = "".join(f"{p}|{st.st_size}|{st.st_mtime_ns}\n" for p, st in zip(po_paths, stats)).encode()
    name = f"{lang}-{startup_cache.checksum(signature)}.catalog"
    table = startup_cache.read_value(name)
    try:
        return _CachedTranslations(table)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError, IndexError):  # missing or damaged: compile again
        pass
    compiled = gettext.GNUTranslations(io.BytesIO(_compile(po_paths, lang)))
    startup_cache.write_value(name, (compiled._catalog, compiled._info, compiled._charset))
    return compiled


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


def sentences(*parts: str) -> str:
    """Join translated sentences: no space between Chinese sentences, one space in English."""
    glue = "" if current_language().startswith("zh") else " "
    return glue.join(p.strip() for p in parts if p and p.strip())


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
