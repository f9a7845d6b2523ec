"""Compares the messages marked in the source with the catalogues: missing and mismatched ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import extract_from_dir

from kiosk.i18n import LANGUAGES, load_catalog, locales_dir, placeholders

SOURCE_PACKAGES = ("kiosk", "ui", "devices", "server")
KEYWORDS = {"_": None, "N_": None, "tr": (1,)}
METHOD_MAP = [("**.py", "python")]
_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Problem:
    lang: str
    msgid: str
    what: str


def source_messages(root: Path | None = None) -> dict[str, str]:
    """Every msgid marked with _, N_ or tr in the packages, with where it was first seen."""
    root = root or locales_dir().parent
    found: dict[str, str] = {}
    for package in SOURCE_PACKAGES:
        directory = root / package
        if not directory.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(directory), METHOD_MAP, keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                message = message[0]
            if message:
                found.setdefault(message, f"{package}/{filename}:{lineno}")
    return found


def is_key(msgid: str) -> bool:
    """A message key (``printer.paper_out``) rather than an English sentence."""
    return bool(_KEY.match(msgid))


def conflicts(directory: Path | None = None) -> list[Problem]:
    """A msgid translated differently in two catalogue files of one language (only one can win)."""
    from babel.messages.pofile import read_po

    out: list[Problem] = []
    for lang in LANGUAGES:
        seen: dict[str, tuple[str, str]] = {}
        for path in sorted(((directory or locales_dir()) / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            for message in catalog:
                if not message.id or not message.string:
                    continue
                first = seen.setdefault(message.id, (path.stem, message.string))
                if first[1] != message.string:
                    out.append(Problem(lang, message.id, f"{first[0]}.po says {first[1]!r}, {path.stem}.po says {message.string!r}"))
    return out


def problems(root: Path | None = None) -> list[Problem]:
    """Missing translations, and placeholders that differ from the English source.

    For a sentence msgid the English source is the msgid itself; for a key it is the en entry.
    """
    messages = source_messages(root)
    catalogs = {lang: load_catalog(lang)._catalog for lang in LANGUAGES}  # type: ignore[attr-defined]
    out: list[Problem] = []
    for lang, catalog in catalogs.items():
        for msgid, where in sorted(messages.items()):
            text = catalog.get(msgid)
            if not text:
                out.append(Problem(lang, msgid, f"missing translation ({where})"))
                continue
            source = catalogs["en"].get(msgid, "") if is_key(msgid) else msgid
            if placeholders(text) != placeholders(source):
                out.append(Problem(lang, msgid, f"placeholders {sorted(placeholders(text))} differ from {sorted(placeholders(source))}"))
    return out
