"""`kiosk audit`: the accessibility budget of STANDARDS.md section 1, checked on every screen."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFontInfo, QFontMetrics, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTextEdit,
    QWidget,
)

from kiosk.config import FONT_SCALES, KioskConfig
from kiosk.i18n import LANGUAGE_NAMES, LANGUAGES, translator
from ui.main_window import MainWindow
from ui.theme import THEMES, contrast_ratio
from ui.screen_walk import HEIGHT_PX, OVERLAY_STATE, WIDTH_PX, Shot, offscreen_window, walk

BODY_MIN_PX = 28
HEADING_MIN_PX = 40
TARGET_MIN_PX = 80
GAP_MIN_PX = 16
CONTRAST_MIN = 7.0
HEADING_ROLES = {"heading", "title"}
INTERACTIVE = (QAbstractButton, QLineEdit, QTextEdit, QComboBox, QAbstractSlider, QAbstractSpinBox, QAbstractItemView)
# Texts that are the same in every language: the other language's own name, size symbols, digits.
LANGUAGE_NEUTRAL = set(LANGUAGE_NAMES.values()) | {"A", "A+", "A++"}
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_UNBREAKABLE = re.compile(r"[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


@dataclass(frozen=True)
class Finding:
    lang: str
    scale: float
    screen: str
    state: str
    widget: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.lang} x{self.scale}] {self.screen}/{self.state}: {self.widget}: {self.rule}: {self.detail}"


def widget_text(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    return ""


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size())


def gap_px(a: QRect, b: QRect) -> float:
    dx = max(0, max(a.x() - (b.x() + b.width()), b.x() - (a.x() + a.width())))
    dy = max(0, max(a.y() - (b.y() + b.height()), b.y() - (a.y() + a.height())))
    if a.intersects(b):
        return 0.0
    return math.hypot(dx, dy)


def dominant_colour(image: QImage, rect: QRect) -> QColor:
    """The most common colour in ``rect``: the background the text is drawn on."""
    crop = image.copy(rect).scaled(max(1, rect.width() // 4), max(1, rect.height() // 4))
    counts: Counter[int] = Counter()
    for y in range(crop.height()):
        for x in range(crop.width()):
            counts[crop.pixel(x, y) & 0xFFFFFF] += 1
    rgb = counts.most_common(1)[0][0]
    return QColor((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)


def contrast(a: QColor, b: QColor) -> float:
    return contrast_ratio(a.name(), b.name())


def clipped(widget: QWidget) -> str:
    """Why the widget's text does not fit, or '' when it does."""
    text = widget_text(widget)
    if not text:
        return ""
    if isinstance(widget, QLabel):
        rect = widget.contentsRect()
        metrics = QFontMetrics(widget.font())
        if widget.wordWrap():
            # Chinese breaks between any two characters; only runs of other letters are unbreakable.
            longest = max((metrics.horizontalAdvance(w) for w in _UNBREAKABLE.findall(text)), default=0)
            if longest > rect.width():
                return f"a word needs {longest}px, has {rect.width()}px"
            need = widget.heightForWidth(widget.width())
            if need > widget.height():
                return f"needs {need}px height, has {widget.height()}px"
            return ""
        lines = text.split("\n")
        need_w = max(metrics.horizontalAdvance(line) for line in lines)
        need_h = metrics.height() * len(lines)
        if need_w > rect.width() or need_h > rect.height():
            return f"needs {need_w}x{need_h}px, has {rect.width()}x{rect.height()}px"
        return ""
    hint = widget.sizeHint()
    if hint.width() > widget.width() or hint.height() > widget.height():
        return f"needs {hint.width()}x{hint.height()}px, has {widget.width()}x{widget.height()}px"
    return ""


def shown_part(widget: QWidget) -> QRect | None:
    """The part of ``widget`` its containers leave on screen, when they cut some of it off (a
    container laid out smaller than what it holds); None when it shows whole. Widgets inside a
    scroll area are meant to be partly out of view and are not judged."""
    shown = widget.rect()  # in the coordinates of ``child``, walking up to the window
    child, parent = widget, widget.parentWidget()
    while parent is not None and not child.isWindow():
        if isinstance(parent, QAbstractScrollArea) or isinstance(parent.parentWidget(), QAbstractScrollArea):
            return None  # the scroll area's viewport, or the content widget inside it
        shown = shown.translated(child.pos()).intersected(parent.rect())
        child, parent = parent, parent.parentWidget()
    shown = shown.translated(-widget.mapTo(child, QPoint(0, 0)))
    return None if shown == widget.rect() or widget.rect().isEmpty() else shown


def untranslated(text: str, lang: str) -> bool:
    """A text in the wrong script for ``lang``: a string that never went through the catalogue."""
    if not text or text in LANGUAGE_NEUTRAL:
        return False
    if lang == "zh_CN":
        return bool(_LATIN_WORD.search(text)) and not _CJK.search(text)
    return bool(_CJK.search(text))


def audit_view(window: MainWindow, shot: Shot, lang: str, scale: float) -> list[Finding]:
    findings: list[Finding] = []

    def add(widget: QWidget | None, rule: str, detail: str) -> None:
        name = (widget.objectName() or type(widget).__name__) if widget is not None else "-"
        findings.append(Finding(lang, scale, shot.screen, shot.state, name, rule, detail))

    if shot.state == OVERLAY_STATE:
        roots: list[QWidget] = [window.overlay]
        prompt = window.overlay.prompt()
    else:
        screen = window.screens.current
        roots = [window.top_bar, screen] if screen is not None else [window.top_bar]
        prompt = screen.prompt() if screen is not None else ""
    if not prompt.strip():
        add(None, "spoken prompt", "the screen has no spoken prompt")
    elif untranslated(prompt, lang):
        add(None, "translation", f"prompt not in {lang}: {prompt[:40]!r}")

    image = window.grab().toImage()
    bounds = window.rect()
    if (bounds.width(), bounds.height()) != (WIDTH_PX, HEIGHT_PX):
        add(window, "screen size", f"the layout needs {bounds.width()}x{bounds.height()}px, the screen is {WIDTH_PX}x{HEIGHT_PX}px")
    widgets = [w for root in roots for w in [root, *root.findChildren(QWidget)] if w.isVisible()]
    targets: list[tuple[QWidget, QRect]] = []
    for widget in widgets:
        rect = window_rect(widget, window)
        text = widget_text(widget)
        interactive = isinstance(widget, INTERACTIVE)
        if text:
            role = widget.property("role")
            if scale == 1.0:
                px = QFontInfo(widget.font()).pixelSize()
                floor = HEADING_MIN_PX if role in HEADING_ROLES else BODY_MIN_PX
                if px < floor:
                    add(widget, "text size", f"{px}px < {floor}px")
            fg = widget.palette().color(widget.foregroundRole())
            bg = dominant_colour(image, rect.intersected(bounds))
            ratio = contrast(fg, bg)
            if ratio < CONTRAST_MIN:
                add(widget, "contrast", f"{ratio:.1f}:1 ({fg.name()} on {bg.name()}) < {CONTRAST_MIN}:1")
            why = clipped(widget)
            if why:
                add(widget, "clipped text", why)
            if untranslated(text, lang):
                add(widget, "translation", f"text not in {lang}: {text[:40]!r}")
        if not bounds.contains(rect):
            add(widget, "clipped widget", f"{rect.getRect()} leaves the window {bounds.getRect()}")
        else:
            shown = shown_part(widget)
            if shown is not None:
                add(widget, "clipped widget",
                    f"only {shown.width()}x{shown.height()}px of {widget.width()}x{widget.height()}px show (cut by its container)")
        if interactive:
            if not widget.objectName():
                add(widget, "object name", "interactive widget without objectName")
            if not widget.accessibleName():
                add(widget, "accessible name", "interactive widget without accessibleName")
            if widget.width() < TARGET_MIN_PX or widget.height() < TARGET_MIN_PX:
                add(widget, "target size", f"{widget.width()}x{widget.height()}px < {TARGET_MIN_PX}x{TARGET_MIN_PX}px")
            targets.append((widget, rect))
    for i, (a, ra) in enumerate(targets):
        for b, rb in targets[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            gap = gap_px(ra, rb)
            if gap < GAP_MIN_PX:
                add(a, "target gap", f"{gap:.0f}px to {b.objectName() or type(b).__name__} < {GAP_MIN_PX}px")
    return findings


def run_audit(
    config: KioskConfig,
    languages: tuple[str, ...] = LANGUAGES,
    scales: tuple[float, ...] = FONT_SCALES,
    themes: tuple[str, ...] = tuple(THEMES),
    only: tuple[str, ...] = (),
) -> list[Finding]:
    """Render every screen and state in each language, scale and theme; return every breach."""
    translator.missing.clear()
    findings: list[Finding] = []
    for theme in themes:
        for lang in languages:
            for scale in scales:
                with offscreen_window(config, lang, scale, theme) as window:
                    for shot in walk(window, only):
                        found = audit_view(window, shot, lang, scale)
                        findings.extend(f if theme == "standard" else replace(f, state=f"{f.state}+{theme}") for f in found)
    for lang, msgid in sorted(translator.missing):
        findings.append(Finding(lang, 0.0, "*", "*", "-", "translation", f"no {lang} translation for {msgid!r}"))
    return findings
