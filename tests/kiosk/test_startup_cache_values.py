"""Values kept in the start-up cache come back as stored, or as None: never half a value."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import startup_cache


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))


def test_a_stored_value_comes_back_equal():
    value = {"ui": {"language": "zh_CN", "font_scale": 1.25}, "list": [1, "二", (3.0, None)]}
    startup_cache.write_value("v.marshal", value)
    assert startup_cache.read_value("v.marshal") == value


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"{"])
def test_a_missing_or_damaged_value_reads_as_none(damage):
    assert startup_cache.read_value("missing.marshal") is None
    startup_cache.write("bad.marshal", damage)
    assert startup_cache.read_value("bad.marshal") is None


def test_a_value_marshal_cannot_hold_is_not_stored():
    startup_cache.write_value("date.marshal", {"day": date(2026, 11, 22)})
    assert not startup_cache.path("date.marshal").exists()
