"""Every message key the GATT/BLE modules raise has a translation in zh_CN and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted((REPO / "devices" / "vitals").glob("gatt*.py")) + sorted(
    (REPO / "devices" / "vitals").glob("ble*.py")) + [REPO / "devices/vitals/readings.py"]
KEY = re.compile(r"""N_\(\s*["']([a-z0-9_.]+)["']\s*\)""")
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def used_keys() -> set[str]:
    return {k for path in MODULES for k in KEY.findall(path.read_text(encoding="utf-8"))}


def catalogue(lang: str) -> dict[str, str]:
    path = REPO / "locales" / lang / "LC_MESSAGES" / "vitals_gatt.po"
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale=lang) if m.id}


def test_the_modules_mark_message_keys() -> None:
    assert {"vitals.protocol_error", "vitals.measurement_failed", "vitals.implausible",
            "vitals.ble.no_records"} <= used_keys()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_used_key_has_a_non_empty_translation(lang: str) -> None:
    messages = catalogue(lang)
    missing = sorted(k for k in used_keys() if not messages.get(k))
    assert missing == []


def test_placeholders_agree_between_languages() -> None:
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert zh.keys() == en.keys()
    for key in zh:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), key
