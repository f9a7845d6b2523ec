"""The top bar's icons come from its style sheet (cached PNG files Qt loads itself), checked PNGs
only; without a writable cache the bar sets them one by one, and looks the same."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from kiosk.i18n import _
from ui import icons
from ui.app import application
from ui.theme import THEMES, Tokens
from ui.widgets.top_bar import TopBar


def _image(pixmap) -> QImage:  # noqa: ANN001
    return pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _shown_icon(bar: TopBar, button) -> QImage:  # noqa: ANN001
    size = bar._tokens.px(40)
    return _image(button.icon().pixmap(size, size))


def _drawn(bar: TopBar, name: str) -> QImage:
    size = bar._tokens.px(40)
    return _image(icons.pixmap(name, bar._tokens.palette.on_top_bar, size))


@pytest.fixture
def bar(qtbot, tmp_path, monkeypatch):
    application()
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    icons.pixmap.cache_clear()
    made = TopBar(Tokens(1.0, THEMES["standard"]))
    qtbot.addWidget(made)
    made.ensurePolished()
    yield made
    icons.pixmap.cache_clear()


def test_the_bars_icons_are_the_tinted_icons_named_by_its_style_sheet(bar):
    assert bar._icons_by_sheet and "qproperty-icon" in bar.styleSheet()
    for button, name in ((bar.home, "home"), (bar.back, "back"), (bar.repeat, "speaker"), (bar.language, "globe")):
        assert _shown_icon(bar, button) == _drawn(bar, name)


def test_a_new_volume_shows_its_own_icon(bar):
    for volume, name in ((0.5, "volume_low"), (1.0, "volume_high"), (0.8, "volume_medium")):
        bar.set_volume(volume)
        assert _shown_icon(bar, bar.volume) == _drawn(bar, name)


def test_a_larger_text_size_gets_icons_drawn_at_its_size(bar):
    bar.apply_tokens(Tokens(1.5, THEMES["high_contrast"]))
    bar.ensurePolished()
    assert bar._tokens.px(40) == 60
    assert _shown_icon(bar, bar.home) == _drawn(bar, "home")


def test_without_a_cache_to_keep_the_files_the_bar_sets_the_same_icons_itself(qtbot, tmp_path, monkeypatch):
    application()
    monkeypatch.setattr("ui.widgets.top_bar.icon_file", lambda *_args: None)
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    icons.pixmap.cache_clear()
    bar = TopBar(Tokens(1.0, THEMES["standard"]))
    qtbot.addWidget(bar)
    assert not bar._icons_by_sheet and bar.styleSheet() == ""
    assert _shown_icon(bar, bar.home) == _drawn(bar, "home")
    bar.set_volume(0.5)
    assert _shown_icon(bar, bar.volume) == _drawn(bar, "volume_low")
    icons.pixmap.cache_clear()


def test_a_read_only_cache_gives_no_file_to_name(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("kiosk.startup_cache.write", lambda *_args: None)  # nothing can be written
    application()
    assert icons.icon_file("home", "#12355B", 40) is None


def test_a_damaged_icon_file_is_drawn_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    application()
    path = icons.icon_file("home", "#12355B", 40)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    assert icons.icon_file("home", "#12355B", 40) == path and path.read_bytes() == good


def _png(size: int) -> bytes:
    application()
    return icons._png(icons._render(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"/>', size))


def test_a_whole_png_of_the_right_size_is_intact():
    assert icons.png_intact(_png(40), 40)


@pytest.mark.parametrize("damage", ["cut", "flipped", "trailing", "not_png", "empty", "none", "other_size"])
def test_a_cut_flipped_padded_foreign_or_wrong_sized_png_is_not(damage):
    data = _png(40)
    size = 40
    if damage == "cut":
        data = data[:-5]
    elif damage == "flipped":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    elif damage == "trailing":
        data += b"junk"
    elif damage == "not_png":
        data = b"GIF89a" + data[6:]
    elif damage == "empty":
        data = b""
    elif damage == "none":
        data = None
    elif damage == "other_size":
        size = 41
    assert not icons.png_intact(data, size)


def test_the_starting_volume_shows_its_icon_and_name_from_the_start(qtbot, tmp_path, monkeypatch):
    application()
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path))
    bar = TopBar(Tokens(1.0, THEMES["standard"]), volume=0.5)
    qtbot.addWidget(bar)
    bar.ensurePolished()
    assert bar.volume.property("iconName") == "volume_low" and bar.volume_word() == _("low")
    assert _shown_icon(bar, bar.volume) == _drawn(bar, "volume_low")
    icons.pixmap.cache_clear()


def test_a_cache_path_a_style_sheet_cannot_quote_falls_back_to_icons_set_one_by_one(qtbot, tmp_path, monkeypatch):
    application()
    odd = tmp_path / 'say "cheese"'
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(odd))
    bar = TopBar(Tokens(1.0, THEMES["standard"]))
    qtbot.addWidget(bar)
    assert not bar._icons_by_sheet and bar.styleSheet() == ""
    assert _shown_icon(bar, bar.home) == _drawn(bar, "home")
    icons.pixmap.cache_clear()
