"""Design tokens (sizes, colours, spacing) and the Qt style sheet generated from them."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, NamedTuple

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FALLBACKS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif")

# Sizes in px at font scale 1.0 on a 1920x1080 21.5" panel (~0.25 mm/px); STANDARDS.md section 1.
BODY_PX = 32  # budget: >= 28
SMALL_PX = 28  # the floor; status texts only
HEADING_PX = 48  # budget: >= 40
TITLE_PX = 56
TILE_PX = 40
TARGET_MIN_PX = 80  # ~20 mm
GAP_PX = 24  # budget: >= 16 between targets
RADIUS_PX = 16


# NamedTuples, not dataclasses: this module is imported before the first paint, and the
# dataclasses module and its generated methods cost ~3 ms there.
class Palette(NamedTuple):
    name: str
    background: str
    surface: str
    text: str
    muted_text: str
    primary: str
    on_primary: str
    top_bar: str
    on_top_bar: str
    border: str
    focus: str
    tiles: Mapping[str, str] = MappingProxyType({})
    on_tile: str = "#FFFFFF"
    ok: str = "#1E5631"
    warn: str = "#7A4A00"
    alert: str = "#8A1C1C"


STANDARD = Palette(
    name="standard",
    background="#F7F4EC",
    surface="#FFFFFF",
    text="#1A1A1A",
    muted_text="#333333",
    primary="#0B3D91",
    on_primary="#FFFFFF",
    top_bar="#12355B",
    on_top_bar="#FFFFFF",
    border="#4A4A4A",
    focus="#B35C00",
    tiles={
        "health": "#1E5631",
        "requests": "#7A3E00",
        "canteen": "#8A1C1C",
        "points": "#4A2A7A",
        "call_staff": "#0B3D91",
    },
)

HIGH_CONTRAST = Palette(
    name="high_contrast",
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted_text="#FFFF66",
    primary="#000000",
    on_primary="#FFFF00",
    top_bar="#000000",
    on_top_bar="#FFFFFF",
    border="#FFFF00",
    focus="#00FFFF",
    tiles={k: "#000000" for k in ("health", "requests", "canteen", "points", "call_staff")},
    on_tile="#FFFF00",
    ok="#000000",
    warn="#000000",
    alert="#000000",
)

THEMES = {p.name: p for p in (STANDARD, HIGH_CONTRAST)}


class Tokens(NamedTuple):
    """Tokens at one font scale; every pixel size in the style sheet comes from here."""

    scale: float
    palette: Palette

    def px(self, base: int) -> int:
        return round(base * self.scale)

    @property
    def body(self) -> int:
        return self.px(BODY_PX)

    @property
    def heading(self) -> int:
        return self.px(HEADING_PX)

    @property
    def title(self) -> int:
        return self.px(TITLE_PX)

    @property
    def tile(self) -> int:
        return self.px(TILE_PX)

    @property
    def target(self) -> int:
        return max(TARGET_MIN_PX, self.px(TARGET_MIN_PX))

    @property
    def gap(self) -> int:
        return self.px(GAP_PX)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#RRGGBB``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def stylesheet(tokens: Tokens) -> str:
    """The whole application's Qt style sheet, generated from the tokens."""
    p, t = tokens.palette, tokens
    family = ", ".join(f'"{f}"' if " " in f else f for f in FONT_FALLBACKS)
    tile_rules = "\n".join(
        f'QPushButton[tile="{name}"] {{ background: {colour}; color: {p.on_tile}; }}'
        for name, colour in p.tiles.items()
    )
    return f"""
* {{ font-family: {family}; font-size: {t.body}px; color: {p.text}; }}
QMainWindow, QWidget#screenArea, QStackedWidget, QWidget[screen="true"] {{ background: {p.background}; }}
QLabel {{ background: transparent; color: {p.text}; }}
QLabel[role="title"] {{ font-size: {t.title}px; font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {t.heading}px; font-weight: bold; }}
QLabel[role="body"] {{ font-size: {t.body}px; }}
QLabel[role="muted"] {{ font-size: {t.body}px; color: {p.muted_text}; }}
QPushButton {{
    min-width: {t.target}px; min-height: {t.target}px;
    font-size: {t.body}px; font-weight: bold;
    background: {p.primary}; color: {p.on_primary};
    border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; padding: 8px 24px;
}}
QPushButton:focus {{ border: 4px solid {p.focus}; }}
QPushButton:pressed {{ border: 6px solid {p.focus}; }}
QPushButton:disabled {{ background: {p.surface}; color: {p.muted_text}; border: 3px dashed {p.border}; }}
QPushButton[role="secondary"] {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border}; }}
QPushButton[tile] {{ padding: 0px; border-radius: 24px; }}
QPushButton[tile] QLabel {{ color: {p.on_tile}; }}
QLabel[role="tileName"] {{ font-size: {t.tile}px; font-weight: bold; }}
QLabel[role="tileDescription"] {{ font-size: {t.body}px; }}
{tile_rules}
QWidget#topBar {{ background: {p.top_bar}; }}
QWidget#topBar QLabel {{ color: {p.on_top_bar}; font-size: {t.body}px; font-weight: bold; }}
QWidget#topBar QToolButton {{
    min-width: {TARGET_MIN_PX}px; min-height: {TARGET_MIN_PX}px;
    background: {p.top_bar}; color: {p.on_top_bar}; border: 3px solid {p.on_top_bar};
    border-radius: {RADIUS_PX}px; font-size: {t.body}px; font-weight: bold; padding: 2px 6px;
}}
QWidget#topBar QToolButton[selected="true"] {{ background: {p.on_top_bar}; color: {p.top_bar}; }}
QWidget#topBar QToolButton:disabled {{ color: {p.on_top_bar}; border: 3px dashed {p.on_top_bar}; }}
QWidget#topBar QToolButton:focus {{ border: 4px solid {p.focus}; }}
QToolButton#topClock {{ border: none; font-size: {t.heading}px; }}
QPushButton[role="primary"], QPushButton[role="secondary"] {{ min-width: {t.px(280)}px; min-height: {t.px(96)}px; }}
QPushButton#idleContinue {{ min-width: {t.px(360)}px; min-height: {t.px(120)}px; font-size: {t.heading}px; }}
QWidget#idleOverlay {{ background: {p.surface}; border: 6px solid {p.border}; }}
QLabel#idleCountdown {{ font-size: {t.px(160)}px; font-weight: bold; color: {p.text}; }}
"""
