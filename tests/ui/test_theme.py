"""Design tokens: every text/background pair of both themes meets 7:1; sizes meet the budget."""

import pytest

from ui.theme import BODY_PX, HEADING_PX, SMALL_PX, THEMES, TILE_PX, Tokens, contrast_ratio, stylesheet


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_text_colour_pair_has_at_least_7_to_1_contrast(theme):
    p = THEMES[theme]
    pairs = [
        (p.text, p.background), (p.muted_text, p.background), (p.text, p.surface),
        (p.on_primary, p.primary), (p.on_top_bar, p.top_bar), (p.top_bar, p.on_top_bar),
        *[(p.on_tile, tile) for tile in p.tiles.values()],
    ]
    for fg, bg in pairs:
        assert contrast_ratio(fg, bg) >= 7.0, (fg, bg)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_sizes_meet_the_budget_at_scale_one():
    assert min(BODY_PX, SMALL_PX) >= 28 and min(HEADING_PX, TILE_PX) >= 40


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
def test_stylesheet_scales_text_with_the_font_scale(scale):
    sheet = stylesheet(Tokens(scale, THEMES["standard"]))
    assert f"font-size: {round(BODY_PX * scale)}px" in sheet
    assert f"font-size: {round(HEADING_PX * scale)}px" in sheet
