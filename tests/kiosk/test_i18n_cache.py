"""Compiled catalogues are cached: a second load reads the cache, an edited .po is compiled again."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys

import pytest

from kiosk.i18n import load_catalog

PO = """msgid ""
msgstr ""
"Language: zh_CN\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "home.title"
msgstr "{text}"
"""


PLURAL_PO = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "home.title"
msgstr "Home"

msgid "one.point"
msgid_plural "many.points"
msgstr[0] "{n} point"
msgstr[1] "{n} points"
"""


def _write(root, text):
    path = root / "zh_CN" / "LC_MESSAGES" / "ui.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO.replace("{text}", text), encoding="utf-8")
    return path


def test_a_catalogue_is_compiled_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    _write(tmp_path / "locales", "首页")
    assert load_catalog("zh_CN", tmp_path / "locales").gettext("home.title") == "首页"
    compiled = list((tmp_path / "cache").glob("zh_CN-*.catalog"))
    assert len(compiled) == 1
    # A fresh process loads the same catalogue without importing Babel.
    code = (
        "import sys; from pathlib import Path; from kiosk.i18n import load_catalog; "
        f"print(load_catalog('zh_CN', Path({str(tmp_path / 'locales')!r})).gettext('home.title')); "
        "print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert out.stdout.split() == ["首页", "False"]


def test_an_edited_catalogue_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    po = _write(tmp_path / "locales", "首页")
    load_catalog("zh_CN", tmp_path / "locales")
    _write(tmp_path / "locales", "主页面")
    os.utime(po, ns=(po.stat().st_atime_ns, po.stat().st_mtime_ns + 1_000_000))
    assert load_catalog("zh_CN", tmp_path / "locales").gettext("home.title") == "主页面"


@pytest.mark.parametrize("damage", [b"garbage", b"", marshal.dumps(42), marshal.dumps(({}, {}))])
def test_a_damaged_cache_file_is_replaced_not_trusted(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    _write(tmp_path / "locales", "首页")
    load_catalog("zh_CN", tmp_path / "locales")
    (cached,) = (tmp_path / "cache").glob("zh_CN-*.catalog")
    cached.write_bytes(damage)
    assert load_catalog("zh_CN", tmp_path / "locales").gettext("home.title") == "首页"
    assert cached.read_bytes() != damage


def test_the_cached_catalogue_translates_and_counts_plurals_as_the_compiled_one(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "ui.po"
    path.parent.mkdir(parents=True)
    path.write_text(PLURAL_PO, encoding="utf-8")
    compiled = load_catalog("en", tmp_path / "locales")
    cached = load_catalog("en", tmp_path / "locales")
    assert type(cached) is not type(compiled)  # the second load came from the cache
    for catalog in (compiled, cached):
        assert catalog.gettext("home.title") == "Home"
        assert [catalog.ngettext("one.point", "many.points", n) for n in (1, 2)] == ["{n} point", "{n} points"]
