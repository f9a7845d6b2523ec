"""Compares the messages marked in the source with the catalogues: missing and mismatched ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import extract_from_dir

from kiosk.i18n import LANGUAGES, load_catalog, locales_dir, placeholders

SOURCE_PACKAGES = ("kiosk", "ui", "devices", "server")
KEYWORDS = {"_": None, "N_": None, "tr": (1,)}
METHOD_MAP = [("**.py", "python")]


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


def problems(root: Path | None = None) -> list[Problem]:
    messages = source_messages(root)
    out: list[Problem] = []
    for lang in LANGUAGES:
        catalog = load_catalog(lang)._catalog  # type: ignore[attr-defined]
        for msgid, where in sorted(messages.items()):
            text = catalog.get(msgid)
            if not text:
                out.append(Problem(lang, msgid, f"missing translation ({where})"))
            elif placeholders(text) != placeholders(msgid):
                out.append(Problem(lang, msgid, f"placeholders differ: {sorted(placeholders(text))}"))
        for msgid in catalog:
            if msgid and isinstance(msgid, str) and msgid not in messages:
                pass  # obsolete entries are harmless; `make i18n` prunes them
    return out
