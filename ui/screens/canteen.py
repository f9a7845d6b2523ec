"""Canteen menu: today's and the coming days' lunch and dinner, the resident's price, seats, cut-off."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import (
    MEALS, ServiceScreen, allergen_names, card, choice_button, clock_text, day_name, dish_name, dish_pixmap,
    meal_name, price_text, seats_text, set_flag, set_texts, short_day_name, spoken, tag_name, text_label,
)

DAYS = 3
DISHES_SHOWN = 4
COUNTDOWN_TICK_MS = 15_000
SPOKEN_MINUTES = (15, 10, 5, 4, 3, 2, 1)


@register_screen
class CanteenScreen(ServiceScreen):
    """The menu of one day and meal at a time (big choice buttons), with a Book button."""

    name = "canteen"

    def build(self) -> None:
        self.menus: list[Any] = []
        self.prices: dict[int, Any] = {}
        self.low_salt = False
        self.live = False
        self.day_index = 0
        self.meal = "lunch"
        self._spoken_minutes: int | None = None
        self._fresh = True
        gap = self.ctx.tokens.gap
        layout = self.column()
        layout.setSpacing(self.ctx.tokens.px(4))
        choices = QHBoxLayout()
        choices.setSpacing(gap)
        self.day_buttons = [choice_button(f"canteenDay{i}") for i in range(DAYS)]
        self.meal_buttons = {meal: choice_button(f"canteenMeal_{meal}") for meal in MEALS}
        for btn in self.day_buttons:
            choices.addWidget(btn)
        choices.addSpacing(gap)
        for btn in self.meal_buttons.values():
            choices.addWidget(btn)
        choices.addStretch(1)
        layout.addLayout(choices)
        grid = QGridLayout()
        grid.setHorizontalSpacing(gap)
        grid.setVerticalSpacing(self.ctx.tokens.px(12))
        # larger pictures while the words are small; at 1.5x the words need the room
        picture_px = 96 if self.ctx.font_scale >= 1.5 else 120
        self.cells = [_DishCell(i, picture_px) for i in range(DISHES_SHOWN)]
        for i, cell in enumerate(self.cells):
            grid.addWidget(cell.frame, i // 2, i % 2)
        layout.addLayout(grid)
        self.notice = text_label("canteenNotice")
        self.info = text_label("canteenInfo")
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addSpacing(gap)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.book_button = self.button("canteenBook")
        self.bookings_button = self.button("canteenMyBookings", "secondary")
        buttons.addWidget(self.info, 1)
        for btn in (self.book_button, self.bookings_button):
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            buttons.addWidget(btn)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(COUNTDOWN_TICK_MS)

    def connect_signals(self) -> None:
        for index, btn in enumerate(self.day_buttons):
            btn.clicked.connect(lambda _c=False, i=index: self.choose(day_index=i))
        for meal, btn in self.meal_buttons.items():
            btn.clicked.connect(lambda _c=False, m=meal: self.choose(meal=m))
        self.book_button.clicked.connect(self.book)
        self.bookings_button.clicked.connect(lambda: self.ctx.navigate("canteen_bookings"))
        self.timer.timeout.connect(self._tick)

    # data -------------------------------------------------------------------------------------
    def days(self) -> list[date]:
        return sorted({m.day for m in self.menus})[:DAYS]

    def selected(self) -> Any | None:
        days = self.days()
        if not days:
            return None
        day = days[min(self.day_index, len(days) - 1)]
        return next((m for m in self.menus if m.day == day and m.meal == self.meal), None)

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def countdown_s(self, menu: Any) -> int | None:
        from kiosk.canteen.menus import cutoff_countdown_s

        return cutoff_countdown_s(menu, self.now())

    def is_open(self, menu: Any) -> bool:
        return bool(menu.open) and self.now() < menu.cutoff

    # texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        today = self.today()
        days = self.days()
        for index, btn in enumerate(self.day_buttons):
            btn.setVisible(index < len(days))
            if index < len(days):
                set_texts(btn, short_day_name(days[index], today), day_name(days[index], today))
                set_flag(btn, "selected", index == self.day_index)
        for meal, btn in self.meal_buttons.items():
            set_texts(btn, meal_name(meal))
            set_flag(btn, "selected", meal == self.meal)
        set_texts(self.book_button, _("Book this meal"))
        set_texts(self.bookings_button, _("My bookings"))
        menu = self.selected()
        for i, cell in enumerate(self.cells):
            dish = menu.dishes[i] if menu is not None and i < len(menu.dishes) else None
            cell.show_dish(dish, self.low_salt)
        self.info.setText(self._info_text(menu))
        notice = self._notice_text(menu)
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        set_flag(self.notice, "banner", "warn" if menu is not None and self.countdown_s(menu) else "info")
        self.book_button.setEnabled(menu is not None and self.is_open(menu) and menu.seats_left != 0)
        self.bookings_button.setVisible(self.state not in ("not_ready",))

    def _info_text(self, menu: Any | None) -> str:
        if self.state == "loading":
            return _("Loading the menu…")
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment.")
        if self.state == "error":
            return _("The menu could not be read. Please ask a staff member.")
        if menu is None:
            return _("There is no menu for this meal yet. Please choose another day or ask a staff member.")
        price = self.prices.get(menu.menu_id)
        second = [seats_text(menu.seats_left)]
        if self.is_open(menu):
            second.append(tr("Book by {time}", time=clock_text(menu.cutoff)))
        lines = [tr("Your price: {price}", price=price_text(price))] if price is not None else []
        lines.append(_("canteen_ui.list_glue").join(second))
        return "\n".join(lines)

    def _notice_text(self, menu: Any | None) -> str:
        if menu is None or self.state in ("loading", "not_ready", "error"):
            return ""
        if not self.is_open(menu):
            return tr("Booking for this meal closed at {time}.", time=clock_text(menu.cutoff))
        left = self.countdown_s(menu)
        if left:
            return tr("Booking closes in {minutes} minutes.", minutes=max(1, (left + 59) // 60))
        if self.low_salt and any("low_salt" in d.tags for d in menu.dishes):
            return _("Low-salt dishes have a green frame. They are a good choice for you.")
        return ""

    def prompt(self) -> str:
        menu = self.selected()
        if self.state in ("loading", "not_ready", "error") or menu is None:
            return sentences(self._info_text(menu), _("You can choose another day or meal."))
        dishes = _("canteen_ui.list_glue").join(dish_name(d) for d in menu.dishes)
        heading = tr("{day}, {meal}: {dishes}.", day=day_name(menu.day, self.today()), meal=meal_name(menu.meal),
                     dishes=dishes)
        action = _("Touch Book this meal, or choose another day or meal.") if self.book_button.isEnabled() else \
            _("Please choose another day or meal.")
        return sentences(heading, spoken(self._info_text(menu).split("\n")), self._notice_text(menu), action)

    def title(self) -> str:
        return _("Canteen")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "low_salt", "closing_soon", "full", "empty", "loading", "not_ready", "error"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self._sample(state)
        super().set_state(state)

    def _sample(self, state: str) -> None:
        self.day_index, self.meal = 0, "lunch"
        self.low_salt = state == "low_salt"
        self.menus = [] if state in ("empty", "loading", "not_ready", "error") else samples.sample_menus(
            self.today(), closing_soon=state == "closing_soon", full=state == "full")
        self.prices = {m.menu_id: samples.sample_price(m) for m in self.menus}

    # navigation -------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if not self.require_resident():
            return
        self._fresh = bool(params) or not self.live  # back from booking: keep the chosen day and meal
        self.live = True
        self.set_state("loading")
        self._load()

    def _load(self) -> None:
        database, resident, today = self.database, self.resident, self.today()
        if database is None:
            self.set_state("not_ready")
            return

        def load() -> tuple[list[Any], dict[int, Any], bool]:
            from kiosk.canteen import menus as core

            with database.session() as session:
                views = core.menus(session, resident.community_id, today, days=DAYS)
                prices = {v.menu_id: core.price_for(session, v, resident, today) for v in views}
                return views, prices, core.highlight_low_salt(session, resident.resident_id)

        self.run(load, self._loaded)

    def _loaded(self, result: tuple[list[Any], dict[int, Any], bool]) -> None:
        self.menus, self.prices, self.low_salt = result
        if self._fresh or self.selected() is None:
            self._pick_first_open()
        self._spoken_minutes = None
        self.show_state("default" if self.menus else "empty")
        self.timer.start()

    def _pick_first_open(self) -> None:
        """Start on the first meal that can still be booked (today's lunch after 09:30: dinner)."""
        days = self.days()
        for index, day in enumerate(days):
            for meal in MEALS:
                menu = next((m for m in self.menus if m.day == day and m.meal == meal), None)
                if menu is not None and self.is_open(menu):
                    self.day_index, self.meal = index, meal
                    return
        self.day_index, self.meal = 0, "lunch"

    def choose(self, *, day_index: int | None = None, meal: str | None = None) -> None:
        if day_index is not None:
            self.day_index = day_index
        if meal is not None:
            self.meal = meal
        self._spoken_minutes = None
        self.show_state(self.state if self.state in ("default", "empty") or not self.live else "default")

    def _tick(self) -> None:
        menu = self.selected()
        if menu is None:
            return
        self.retranslate()
        left = self.countdown_s(menu)
        if not left:
            return
        minutes = max(1, (left + 59) // 60)
        if minutes != self._spoken_minutes and minutes in SPOKEN_MINUTES:
            self._spoken_minutes = minutes
            self.say(tr("Booking closes in {minutes} minutes.", minutes=minutes))

    def book(self) -> None:
        menu = self.selected()
        if menu is None:
            return
        self.ctx.navigate("canteen_book", menu=menu, price=self.prices.get(menu.menu_id))

    def leave(self) -> None:
        self.timer.stop()
        super().leave()

    def hideEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        self.timer.stop()
        super().hideEvent(event)

    def reset_personal(self) -> None:
        self.timer.stop()
        self.live = False
        self.menus, self.prices, self.low_salt = [], {}, False
        super().reset_personal()


class _DishCell:
    """One dish: its picture, its name, and its diet tags and allergens in words."""

    def __init__(self, index: int, picture_px: int) -> None:
        self.picture_px = picture_px
        self.frame = card(f"canteenDish{index}")
        row = QHBoxLayout(self.frame)
        row.setContentsMargins(12, 2, 12, 2)
        row.setSpacing(16)
        self.picture = QLabel()
        self.picture.setObjectName(f"canteenDish{index}Picture")
        self.picture.setFixedSize(picture_px, picture_px)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        self.name = text_label(f"canteenDish{index}Name", "body")
        self.detail = text_label(f"canteenDish{index}Detail", "muted")
        texts.addWidget(self.name)
        texts.addWidget(self.detail)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)

    def show_dish(self, dish: Any | None, low_salt: bool) -> None:
        self.frame.setVisible(dish is not None)
        if dish is None:
            return
        self.picture.setPixmap(dish_pixmap(dish, self.picture_px))
        self.name.setText(dish_name(dish))
        tags = [tag_name(t) for t in dish.tags if tag_name(t)]
        allergens = allergen_names(dish.allergens)
        if allergens:
            tags.append(tr("Contains {allergens}", allergens=allergens))
        self.detail.setText(_("canteen_ui.list_glue").join(tags))
        self.detail.setVisible(bool(tags))
        set_flag(self.frame, "highlight", bool(low_salt and "low_salt" in dish.tags))
