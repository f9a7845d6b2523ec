"""Shared parts of the canteen and points screens: a base screen, wording helpers, dish pictures."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWidget

from kiosk.i18n import N_, _, current_language, sentences, tr
from ui.screens.base import Screen
from ui.tasks import watch
from ui.theme import RADIUS_PX, Palette

log = logging.getLogger(__name__)

MEALS = {"lunch": N_("canteen_ui.meal.lunch"), "dinner": N_("canteen_ui.meal.dinner")}
TAGS = {
    "low_salt": N_("canteen_ui.tag.low_salt"), "low_sugar": N_("canteen_ui.tag.low_sugar"),
    "soft": N_("canteen_ui.tag.soft"), "vegetarian": N_("canteen_ui.tag.vegetarian"),
}
ALLERGENS = {
    "fish": N_("canteen_ui.allergen.fish"), "egg": N_("canteen_ui.allergen.egg"), "soy": N_("canteen_ui.allergen.soy"),
    "shellfish": N_("canteen_ui.allergen.shellfish"), "wheat": N_("canteen_ui.allergen.wheat"),
    "peanut": N_("canteen_ui.allergen.peanut"), "milk": N_("canteen_ui.allergen.milk"),
    "sesame": N_("canteen_ui.allergen.sesame"), "nuts": N_("canteen_ui.allergen.nuts"),
}
PAYMENT_NAMES = {
    "points": N_("canteen_ui.pay.points"), "cash": N_("canteen_ui.pay.cash"), "points_cash": N_("canteen_ui.pay.points_cash"),
}


# -- wording ----------------------------------------------------------------------------------
def meal_name(meal: str) -> str:
    return _(MEALS[meal]) if meal in MEALS else meal


def tag_name(tag: str) -> str:
    return _(TAGS[tag]) if tag in TAGS else ""


def allergen_names(codes: tuple[str, ...] | list[str]) -> str:
    names = [_(ALLERGENS[c]) for c in codes if c in ALLERGENS]
    return _("canteen_ui.list_glue").join(names)


def payment_name(payment: str) -> str:
    return _(PAYMENT_NAMES[payment]) if payment in PAYMENT_NAMES else payment


def dish_name(dish: Any) -> str:
    if current_language() == "en" and getattr(dish, "name_en", ""):
        return dish.name_en
    return dish.name_zh or getattr(dish, "name_en", "")


def date_text(day: date) -> str:
    return tr("canteen_ui.date", mon=_(f"canteen_ui.month.{day.month}"), day=day.day)


def day_name(day: date, today: date) -> str:
    """"Today", "Tomorrow" or the weekday, always with the date."""
    offset = (day - today).days
    if offset == 0:
        word = _("canteen_ui.day.today")
    elif offset == 1:
        word = _("canteen_ui.day.tomorrow")
    else:
        word = _(f"canteen_ui.weekday.{day.weekday()}")
    return tr("canteen_ui.day_and_date", word=word, date=date_text(day))


def short_day_name(day: date, today: date) -> str:
    """For a choice button: "Today", "Tomorrow", or the weekday with the date."""
    offset = (day - today).days
    if offset == 0:
        return _("canteen_ui.day.today")
    if offset == 1:
        return _("canteen_ui.day.tomorrow")
    return day_name(day, today)


def clock_text(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def seats_text(seats_left: int | None) -> str:
    if seats_left is None:
        return _("Seats left: not known while the kiosk is offline")
    if seats_left <= 0:
        return _("This meal is full")
    return tr("{count} seats left", count=seats_left)


def price_text(price: Any) -> str:
    return tr("{points} points ({yuan} yuan)", points=price.points, yuan=price.yuan_text)


def price_reason(price: Any) -> str:
    """Why the price is what it is: the age tier discount and the subsidy, in plain words."""
    parts = []
    if price.discount_pct:
        parts.append(tr("Age {tier}: {pct}% off", tier=price.tier, pct=price.discount_pct))
    if price.subsidy_points:
        parts.append(tr("Community subsidy: {points} points", points=price.subsidy_points))
    return _("canteen_ui.list_glue").join(parts)


def error_text(exc: BaseException) -> str:
    """A refusal from the core (a message key with parameters) in words; anything else calmly."""
    key = getattr(exc, "key", None) or getattr(exc, "message_key", None)
    if isinstance(key, str) and key:
        return tr(key, **dict(getattr(exc, "params", {}) or {}))
    return _("Something went wrong. Nothing was booked or paid. Please try again or ask a staff member.")


def full_stop(sentence: str) -> str:
    """End a sentence from another catalogue with a full stop when it has none."""
    sentence = sentence.strip()
    if sentence and sentence[-1] not in ".!?。！？":
        sentence += _("canteen_ui.full_stop")
    return sentence


def spoken(lines: list[str] | tuple[str, ...]) -> str:
    """Lines shown on screen, read as sentences (each ends with one full stop)."""
    return sentences(*(full_stop(line) for line in lines if line.strip()))


# -- dish pictures ----------------------------------------------------------------------------
_KINDS = (
    ("soup", ("汤", "soup")), ("porridge", ("粥", "porridge", "congee")), ("noodles", ("面", "noodle")),
    ("fish", ("鱼", "鲈", "fish", "bass")), ("shrimp", ("虾", "shrimp", "prawn")),
    ("egg", ("蛋", "egg")), ("tofu", ("豆腐", "香干", "tofu")),
    ("greens", ("菜", "蔬", "菠", "芹", "green", "spinach", "vegetable")),
    ("meat", ("鸡", "肉", "排骨", "狮子头", "chicken", "pork", "meat", "rib")),
)


def dish_kind(dish: Any) -> str:
    text = f"{getattr(dish, 'name_zh', '')} {getattr(dish, 'name_en', '')}".lower()
    for kind, words in _KINDS:
        if any(w in text for w in words):
            return kind
    return "rice"


def dish_pixmap(dish: Any, size_px: int) -> QPixmap:
    """The dish's photo when it has one on disk, otherwise a simple drawing of the kind of dish."""
    photo = getattr(dish, "photo", None)
    if photo and Path(photo).is_file():
        pixmap = QPixmap(str(photo))
        if not pixmap.isNull():
            return pixmap.scaled(size_px, size_px, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
    return draw_dish(dish_kind(dish), size_px)


def draw_dish(kind: str, size_px: int) -> QPixmap:
    pixmap = QPixmap(size_px, size_px)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size_px / 100.0
    p.scale(s, s)
    outline = QPen(QColor("#4A4A4A"), 3)
    bowl = kind in ("soup", "porridge", "noodles", "rice")
    p.setPen(outline)
    if bowl:
        p.setBrush(QColor("#FFFFFF"))
        path = QPainterPath(QPointF(8, 45))
        path.cubicTo(QPointF(10, 95), QPointF(90, 95), QPointF(92, 45))
        path.closeSubpath()
        filling = {"soup": "#C9843A", "porridge": "#F2B544", "noodles": "#F3E3B5", "rice": "#FFFDF5"}[kind]
        p.setBrush(QColor(filling))
        p.drawEllipse(QRectF(8, 32, 84, 26))
        p.setBrush(QColor("#FFFFFF"))
        p.drawPath(path)
        if kind == "noodles":
            p.setPen(QPen(QColor("#C9A24A"), 3))
            for x in (30, 45, 60):
                p.drawArc(QRectF(x, 36, 14, 14), 0, 180 * 16)
        elif kind == "soup":
            p.setBrush(QColor("#2E7D32"))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawEllipse(QRectF(35, 40, 10, 6))
            p.drawEllipse(QRectF(55, 38, 12, 6))
        elif kind == "rice":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#FFFFFF"))
            p.drawEllipse(QRectF(20, 18, 60, 36))
            p.setPen(outline)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawArc(QRectF(20, 18, 60, 36), 20 * 16, 140 * 16)
        p.end()
        return pixmap
    p.setBrush(QColor("#FFFFFF"))
    p.drawEllipse(QRectF(4, 14, 92, 76))
    p.setPen(Qt.PenStyle.NoPen)
    if kind == "fish":
        p.setBrush(QColor("#B5651D"))
        p.drawEllipse(QRectF(18, 38, 50, 26))
        tail = QPainterPath(QPointF(66, 51))
        tail.lineTo(QPointF(84, 40))
        tail.lineTo(QPointF(84, 62))
        tail.closeSubpath()
        p.drawPath(tail)
        p.setBrush(QColor("#1A1A1A"))
        p.drawEllipse(QRectF(26, 46, 5, 5))
    elif kind == "shrimp":
        p.setBrush(QColor("#F2C94C"))
        p.drawEllipse(QRectF(20, 30, 60, 44))
        p.setBrush(QColor("#E8684A"))
        for x, y in ((32, 40), (52, 46), (40, 56)):
            p.drawEllipse(QRectF(x, y, 14, 9))
    elif kind == "egg":
        p.setBrush(QColor("#F2C94C"))
        for x, y in ((22, 34), (44, 44), (30, 56)):
            p.drawEllipse(QRectF(x, y, 26, 18))
        p.setBrush(QColor("#D64541"))
        for x, y in ((52, 30), (60, 56), (38, 48)):
            p.drawEllipse(QRectF(x, y, 14, 12))
    elif kind == "tofu":
        p.setBrush(QColor("#F7EBC8"))
        p.setPen(QPen(QColor("#9E8A5A"), 2))
        for x, y in ((24, 32), (46, 32), (34, 52), (56, 52)):
            p.drawRect(QRectF(x, y, 18, 16))
    elif kind == "greens":
        p.setBrush(QColor("#2E7D32"))
        for x, y, w, h in ((20, 34, 34, 18), (44, 30, 34, 20), (28, 52, 38, 18), (52, 50, 26, 16)):
            p.drawEllipse(QRectF(x, y, w, h))
    else:  # meat
        p.setBrush(QColor("#8B4A2B"))
        for x, y in ((24, 34), (48, 32), (34, 54), (56, 52)):
            p.drawEllipse(QRectF(x, y, 22, 18))
    p.end()
    return pixmap


# -- look ---------------------------------------------------------------------------------------
def screen_sheet(p: Palette) -> str:
    """Colours of cards, choice buttons and outcome banners (sizes stay in the app style sheet)."""
    return f"""
QFrame[card="true"] {{ background: {p.surface}; border: 3px solid {p.border}; border-radius: {RADIUS_PX}px; }}
QFrame[card="true"][highlight="true"] {{ border: 6px solid {p.ok if p.name == "standard" else p.focus}; }}
QFrame[card="true"] QLabel {{ border: none; }}
QPushButton[choice="true"] {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border}; }}
QPushButton[choice="true"][selected="true"] {{ background: {p.primary}; color: {p.on_primary}; border: 6px solid {p.focus}; }}
QPushButton[choice="true"]:disabled {{ background: {p.background}; color: {p.muted_text}; border: 3px dashed {p.border}; }}
QLabel[tone="plus"] {{ color: {p.ok if p.name == "standard" else p.text}; font-weight: bold; }}
QLabel[tone="minus"] {{ color: {p.alert if p.name == "standard" else p.text}; font-weight: bold; }}
QLabel[banner="ok"] {{ background: {p.ok}; color: #FFFFFF; border-radius: {RADIUS_PX}px; padding: 12px; }}
QLabel[banner="warn"] {{ background: {p.warn}; color: #FFFFFF; border-radius: {RADIUS_PX}px; padding: 12px; }}
QLabel[banner="alert"] {{ background: {p.alert}; color: #FFFFFF; border-radius: {RADIUS_PX}px; padding: 12px; }}
QLabel#canteenCounterOutcome {{ padding: 16px; }}
QLabel[banner="info"] {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
                         border-radius: {RADIUS_PX}px; padding: 12px; }}
"""


def card(object_name: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(object_name)
    frame.setProperty("card", True)
    frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return frame


def set_flag(widget: QWidget, name: str, value: object) -> None:
    """Change a style property and re-apply the style sheet to show it."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def choice_button(object_name: str) -> QPushButton:
    btn = QPushButton()
    btn.setObjectName(object_name)
    btn.setProperty("choice", True)
    btn.setProperty("selected", False)
    return btn


def set_texts(widget: QPushButton | QLabel, text: str, accessible: str | None = None) -> None:
    widget.setText(text)
    widget.setAccessibleName(accessible or text)


# -- base screen --------------------------------------------------------------------------------
class ServiceScreen(Screen):
    """A canteen or points screen: needs an identified resident, runs core calls off the Qt thread."""

    purpose = "canteen"

    def __init__(self, ctx: Any) -> None:
        self._watchers: list[Any] = []
        super().__init__(ctx)
        self.setStyleSheet(screen_sheet(ctx.tokens.palette))

    # who and where
    @property
    def resident(self) -> Any:
        return self.ctx.session.resident

    @property
    def database(self) -> Any:
        return getattr(self.ctx.runtime, "database", None)

    def today(self) -> date:
        """Today in the community's time zone (menus, cut-offs and tickets use it)."""
        from kiosk.canteen.menus import LOCAL_TZ

        return datetime.now(LOCAL_TZ).date()

    def require_resident(self, next_screen: str | None = None) -> bool:
        """True when someone is identified; otherwise asks for the QR card (after this show ends).

        Without a database (screenshots, or the kiosk still starting) nobody can be identified:
        the screen stays and shows its sample or "not ready" state instead.
        """
        if self.resident is not None:
            return True
        if self.database is None:  # never the built-in samples: they are for screenshots only
            fallback = next((s for s in ("not_ready", "error") if s in self.states()), None)
            if fallback is not None:
                self.set_state(fallback)
            return False
        target = next_screen or self.name
        if "loading" in self.states():
            self.set_state("loading")  # nothing personal or stale is shown or said meanwhile
        QTimer.singleShot(0, self, lambda: self.ctx.navigate(
            "identify", remember=False, purpose=self.purpose, next=target, allow_guest=False))
        return False

    # background work
    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> bool:
        """Run ``fn`` on a worker; deliver its result on the Qt thread. False without a runtime."""
        runtime = self.ctx.runtime
        if runtime is None:
            return False
        watcher = watch(self, runtime.run_blocking(fn), on_done, on_error or self.failed)
        self._watchers.append(watcher)
        return True

    def discard_pending(self) -> None:
        for watcher in self._watchers:
            try:
                watcher.discard()
            except RuntimeError:  # already delivered and deleted
                pass
        self._watchers.clear()

    def failed(self, exc: BaseException) -> None:
        log.error("%s: background call failed: %s", self.name, type(exc).__name__)
        self.show_state("error")

    def leave(self) -> None:
        self.discard_pending()

    def reset_personal(self) -> None:
        self.discard_pending()
        super().reset_personal()

    def show_state(self, state: str) -> None:
        """Switch state and say the new prompt (only when this screen is the one on show)."""
        self.set_state(state)
        if self.isVisible():
            self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def say(self, text: str) -> None:
        self.ctx.voice.say(text, current_language())


def text_label(object_name: str, role: str = "body") -> QLabel:
    lab = QLabel()
    lab.setObjectName(object_name)
    lab.setProperty("role", role)
    lab.setWordWrap(True)
    return lab
