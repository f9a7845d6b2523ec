"""The parsed TOML is kept in the start-up cache: read back when the file is unchanged, parsed
again when it changed, never trusted when damaged; validation runs every time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.config import ConfigError, load

CONFIG = '[ui]\nlanguage = "en"\nfont_scale = 1.25\n'


def _cache_files(tmp_path):
    return sorted((tmp_path / "cache").glob("config-*.marshal"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_unchanged_file_is_read_back_without_importing_the_toml_parser(tmp_path, cache):
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG, encoding="utf-8")
    first = load(path)
    assert len(_cache_files(tmp_path)) == 1
    code = ("import sys; from kiosk.config import load; c = load(sys.argv[1]); "
            "print(c.ui.language, c.ui.font_scale, 'tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         env={**os.environ, "KIOSK_CACHE_DIR": str(cache)})
    assert out.stdout.split() == ["en", "1.25", "False"]
    assert (first.ui.language, first.ui.font_scale) == ("en", 1.25)


def test_an_edited_file_is_parsed_again(tmp_path, cache):
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG, encoding="utf-8")
    load(path)
    path.write_text(CONFIG.replace("1.25", "1.5"), encoding="utf-8")
    assert load(path).ui.font_scale == 1.5
    assert len(_cache_files(tmp_path)) == 2


def test_a_cached_file_is_still_validated(tmp_path, cache):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")
    for _ in range(2):  # the second time the parsed TOML comes from the cache
        with pytest.raises(ConfigError, match="ui.language"):
            load(path)
    assert len(_cache_files(tmp_path)) == 1


@pytest.mark.parametrize("damage", [b"garbage", b"", b"\xe9\x00\x00\x00\x00"])
def test_a_damaged_cache_file_is_not_trusted(tmp_path, cache, damage):
    import marshal

    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG, encoding="utf-8")
    load(path)
    (cached,) = _cache_files(tmp_path)
    for bad in (damage, marshal.dumps(["not", "a", "table"])):
        cached.write_bytes(bad)
        assert load(path).ui.font_scale == 1.25


def test_a_syntax_error_is_reported_each_time_and_nothing_is_cached(tmp_path, cache):
    path = tmp_path / "kiosk.toml"
    path.write_text("[ui\nlanguage = ", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="syntax"):
            load(path)
    assert _cache_files(tmp_path) == []


def test_a_file_whose_values_marshal_cannot_hold_is_parsed_every_time(tmp_path, cache):
    path = tmp_path / "kiosk.toml"
    path.write_text("when = 2026-11-21\n", encoding="utf-8")  # a TOML date: no marshal form
    for _ in range(2):
        with pytest.raises(ConfigError, match="when"):
            load(path)
    assert _cache_files(tmp_path) == []
