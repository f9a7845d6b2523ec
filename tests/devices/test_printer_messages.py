"""Every printer message key used in devices/printer is translated in zh_CN and en, same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"""N_\(\s*["'](printer\.[a-z_.]+)["']\s*\)""")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "devices" / "printer").glob("*.py"):
        keys.update(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def catalogue(lang: str) -> dict[str, str]:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "printer.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale=lang) if m.id}


def test_printer_code_uses_the_expected_keys():
    assert {"printer.paper_out", "printer.paper_near_end", "printer.cover_open", "printer.offline"} <= used_keys()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_used_key_has_a_translation(lang):
    messages = catalogue(lang)
    missing = sorted(k for k in used_keys() if not messages.get(k))
    assert missing == []


def test_translations_have_identical_placeholders():
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert set(zh) == set(en)
    for key in zh:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_paper_out_message_asks_for_staff():
    assert catalogue("zh_CN")["printer.paper_out"] == "打印纸用完了，请联系工作人员"
    assert catalogue("en")["printer.paper_out"] == "The printer is out of paper; please ask staff."
