"""Every scanner message key has a zh_CN and an en translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.i18n import placeholders

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"""["'](scanner\.[a-z_]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "devices" / "scanner").glob("*.py"):
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def catalogue(lang: str) -> dict[str, str]:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "scanner.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_scanner_code_uses_message_keys():
    assert {"scanner.camera_lost", "scanner.port_lost", "scanner.line_too_long"} <= used_keys()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_used_key_is_translated(lang):
    messages = catalogue(lang)
    missing = sorted(k for k in used_keys() if not messages.get(k))
    assert missing == []


def test_translations_share_placeholders():
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert set(zh) == set(en)
    mismatched = [k for k in zh if placeholders(zh[k]) != placeholders(en[k])]
    assert mismatched == []
    assert placeholders(en["scanner.port_lost"]) == {"port"}
