"""Style rules of the health cabin screens, generated from the theme tokens like ui/theme.py's sheet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QWidget

from ui.theme import BODY_PX, HEADING_PX, RADIUS_PX, Tokens, contrast_ratio

VALUE_PX = 88  # the measured numbers: read at arm's length
TILE_NAME_PX = 40

# Category icon names of kiosk.health.ranges.Assessment.icon -> the palette colour behind them.
CATEGORY_ROLES = ("ok", "attention", "doctor")


def accent_colour(tokens: Tokens) -> str:
    """A second ink for pictures: the primary colour when it stands out from the background."""
    p = tokens.palette
    return p.primary if contrast_ratio(p.primary, p.background) >= 3.0 else p.border


def half_scaled(tokens: Tokens, base_px: int) -> int:
    """Sizes that are large already grow at half the text scale (numbers, tile names)."""
    return round(base_px * (1 + (tokens.scale - 1) / 2))


def value_px(tokens: Tokens) -> int:
    return half_scaled(tokens, VALUE_PX)


def health_stylesheet(tokens: Tokens) -> str:
    """Rules for value labels, category badges, cards and measurement tiles (on top of the app sheet)."""
    p, t = tokens.palette, tokens
    return f"""
QLabel[role="vitalValue"] {{ font-size: {value_px(t)}px; font-weight: bold; }}
QLabel[role="vitalLabel"] {{ font-size: {half_scaled(t, HEADING_PX)}px; font-weight: bold; }}
QFrame[category] {{ border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; }}
QFrame[category="ok"] {{ background: {p.ok}; }}
QFrame[category="attention"] {{ background: {p.warn}; }}
QFrame[category="doctor"] {{ background: {p.alert}; }}
QFrame[category] QLabel {{
    color: {p.on_tile}; font-size: {half_scaled(t, BODY_PX)}px; font-weight: bold;
    background: transparent; border: none;
}}
QFrame[card="true"] {{ background: {p.surface}; border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; }}
QFrame[card="true"] QLabel {{ border: none; }}
QFrame[notice="alert"] {{
    background: {p.surface}; border: 6px solid {p.alert if p.alert != p.background else p.border};
    border-radius: {RADIUS_PX}px;
}}
QFrame[notice="alert"] QLabel {{ border: none; }}
QPushButton[measureTile="true"] {{
    background: {p.primary}; color: {p.on_primary}; border: 3px solid {p.border};
    border-radius: 24px; padding: 0px; min-height: {t.px(120)}px;
}}
QPushButton[measureTile="true"] QLabel {{ color: {p.on_primary}; }}
QPushButton[measureTile="true"] QLabel[role="tileName"] {{
    font-size: {half_scaled(t, TILE_NAME_PX)}px; font-weight: bold;
}}
QPushButton[measureTile="true"]:disabled {{ background: {p.surface}; border: 3px dashed {p.border}; }}
QPushButton[measureTile="true"] QLabel:disabled {{ color: {p.text}; }}
QPushButton[compact="true"] {{ min-height: {t.px(64)}px; }}
QPushButton[choice="true"] {{
    background: {p.surface}; color: {p.text}; border: 3px solid {p.border}; padding: 8px 20px;
}}
QPushButton[choice="true"][selected="true"] {{
    background: {p.primary}; color: {p.on_primary}; border: 6px solid {p.focus};
}}
QProgressBar {{
    min-height: {t.px(40)}px; border: 3px solid {p.border}; border-radius: 8px;
    background: {p.surface}; color: {p.text}; text-align: center;
}}
QProgressBar::chunk {{ background: {accent_colour(tokens)}; }}
"""


class HealthStyled:
    """Mixin for health screens: keeps their sheet in step with the app's theme and font scale.

    The main window re-applies the application sheet when the text size or theme changes; every
    widget then gets a StyleChange event, on which the screen regenerates its own rules.
    """

    _health_css = ""

    def apply_health_style(self) -> None:
        widget: QWidget = self  # type: ignore[assignment]
        css = health_stylesheet(self.ctx.tokens)  # type: ignore[attr-defined]
        if css != self._health_css:
            self._health_css = css
            widget.setStyleSheet(css)
            self.on_tokens_changed()

    def on_tokens_changed(self) -> None:
        """Hook: re-layout what depends on the font scale (cards per page, picture sizes)."""

    def navigate_later(self, name: str, **params: object) -> None:
        """Navigate once the current navigation is over (from ``enter``: the manager is mid-switch)."""
        QTimer.singleShot(0, self, lambda: self.ctx.navigate(name, **params))  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.StyleChange and self._health_css:  # after build() applied it
            self.apply_health_style()
        super().changeEvent(event)  # type: ignore[misc]
