"""Book a meal: for whom (the resident or a bound family member) and how to pay."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import (
    PAYMENT_NAMES, ServiceScreen, choice_button, day_name, meal_name, payment_name, price_reason, price_text,
    set_flag, set_texts, spoken, text_label,
)

MAX_PEOPLE = 4


@register_screen
class CanteenBookScreen(ServiceScreen):
    """``enter(menu=MenuView, price=Price)``: choose who eats and how to pay, then confirm."""

    name = "canteen_book"

    def build(self) -> None:
        self.menu: Any = None
        self.people: list[Any] = []  # the resident first, then bound family members
        self.prices: dict[str, Any] = {}  # resident id -> price for that person
        self.balance: int | None = None
        self.person_index = 0
        self.payment = "points"
        self.live = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        layout.setSpacing(self.ctx.tokens.px(12))
        self.heading = self.label("canteenBookHeading", "heading")
        layout.addWidget(self.heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(gap)
        grid.setVerticalSpacing(gap)
        self.who_label = text_label("canteenBookWhoLabel")
        self.pay_label = text_label("canteenBookPayLabel")
        people_row, pay_row = QHBoxLayout(), QHBoxLayout()
        people_row.setSpacing(gap)
        pay_row.setSpacing(gap)
        self.person_buttons = [choice_button(f"canteenBookPerson{i}") for i in range(MAX_PEOPLE)]
        for btn in self.person_buttons:
            people_row.addWidget(btn)
        people_row.addStretch(1)
        self.pay_buttons = {p: choice_button(f"canteenBookPay_{p}") for p in PAYMENT_NAMES}
        for btn in self.pay_buttons.values():
            pay_row.addWidget(btn)
        pay_row.addStretch(1)
        grid.addWidget(self.who_label, 0, 0)
        grid.addLayout(people_row, 0, 1)
        grid.addWidget(self.pay_label, 1, 0)
        grid.addLayout(pay_row, 1, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.summary = text_label("canteenBookSummary")
        self.summary.setProperty("banner", "info")
        row.addWidget(self.summary, 1)
        self.next_button = self.button("canteenBookNext")
        self.next_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)

    def connect_signals(self) -> None:
        for index, btn in enumerate(self.person_buttons):
            btn.clicked.connect(lambda _c=False, i=index: self.choose(person_index=i))
        for payment, btn in self.pay_buttons.items():
            btn.clicked.connect(lambda _c=False, p=payment: self.choose(payment=p))
        self.next_button.clicked.connect(self.next_step)

    # data -------------------------------------------------------------------------------------
    @property
    def beneficiary(self) -> Any | None:
        return self.people[self.person_index] if self.person_index < len(self.people) else None

    @property
    def price(self) -> Any | None:
        person = self.beneficiary
        return self.prices.get(person.resident_id) if person is not None else None

    def points_enough(self) -> bool:
        price = self.price
        return self.balance is None or price is None or self.balance >= price.points

    def person_text(self, index: int) -> str:
        person = self.people[index]
        if index == 0:
            return tr("Me ({name})", name=person.masked_name) if person.masked_name else _("Me")
        return person.masked_name or _("Family member")

    # texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        menu = self.menu
        self.heading.setText(
            tr("Book {meal}, {day}", meal=meal_name(menu.meal), day=day_name(menu.day, self.today()))
            if menu is not None else _("Book a meal"))
        self.who_label.setText(_("Who is eating?"))
        self.pay_label.setText(_("Pay with"))
        for index, btn in enumerate(self.person_buttons):
            btn.setVisible(index < len(self.people))
            if index < len(self.people):
                set_texts(btn, self.person_text(index))
                set_flag(btn, "selected", index == self.person_index)
        for payment, btn in self.pay_buttons.items():
            set_texts(btn, payment_name(payment))
            set_flag(btn, "selected", payment == self.payment)
        self.pay_buttons["points"].setEnabled(self.points_enough())
        self.summary.setText(self._summary())
        set_texts(self.next_button, _("Next"))
        self.next_button.setEnabled(self.state == "default" and self.price is not None)

    def _summary(self) -> str:
        if self.state == "loading":
            return _("Loading prices…")
        if self.state == "error":
            return _("The prices could not be read. Please ask a staff member.")
        person, price = self.beneficiary, self.price
        if person is None or price is None:
            return ""
        lines = [tr("Price for {name}: {price}", name=person.masked_name or _("Me"), price=price_text(price))]
        reason = price_reason(price)
        if reason:
            lines.append(reason)
        if self.balance is not None and not self.points_enough():
            lines.append(tr("You have {points} points: not enough to pay with points only", points=self.balance))
        elif self.balance is not None:
            lines.append(tr("You have {points} points", points=self.balance))
        return "\n".join(lines)

    def prompt(self) -> str:
        if self.state in ("loading", "error"):
            return self._summary()
        return sentences(
            _("Who is eating, and how would you like to pay?"),
            spoken(self._summary().split("\n")),
            _("Then touch Next."),
        )

    def title(self) -> str:
        return _("Book a meal")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "family", "low_balance", "loading", "error"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self._sample(state)
            state = state if state in ("loading", "error") else "default"
        super().set_state(state)

    def _sample(self, state: str) -> None:
        self.menu = samples.sample_menus(self.today())[0]
        self.people = [] if state in ("loading", "error") else [samples.sample_resident(), *samples.sample_family()]
        price = samples.sample_price(self.menu)
        self.prices = {p.resident_id: price for p in self.people}
        self.balance = 40 if state == "low_balance" else 1250
        self.person_index = 1 if state == "family" else 0
        self.payment = "points_cash" if state == "low_balance" else "points"

    # navigation -------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if "menu" not in params:
            return  # back from the confirm screen: keep the choices
        if not self.require_resident("canteen"):
            return
        self.live = True
        self.menu = params["menu"]
        self.people = [self.resident]
        self.prices = {self.resident.resident_id: params.get("price")} if params.get("price") else {}
        self.person_index, self.payment, self.balance = 0, "points", None
        self.set_state("loading")
        self._load()

    def _load(self) -> None:
        database, resident, menu, today = self.database, self.resident, self.menu, self.today()
        if database is None:
            self.set_state("error")
            return

        def load() -> tuple[list[Any], dict[str, Any], int | None]:
            from kiosk import residents
            from kiosk.canteen.menus import price_for
            from kiosk.points.summary import balance

            with database.session() as session:
                people = [resident, *residents.family_of(session, resident)][:MAX_PEOPLE]
                prices = {p.resident_id: price_for(session, menu, p, today) for p in people}
                return people, prices, balance(session, resident.resident_id)

        self.run(load, self._loaded)

    def _loaded(self, result: tuple[list[Any], dict[str, Any], int | None]) -> None:
        self.people, self.prices, self.balance = result
        if not self.points_enough():
            self.payment = "points_cash"
        self.show_state("default")

    def choose(self, *, person_index: int | None = None, payment: str | None = None) -> None:
        if person_index is not None:
            self.person_index = person_index
        if payment is not None:
            self.payment = payment
        if self.payment == "points" and not self.points_enough():
            self.payment = "points_cash"
        self.show_state("default")

    def next_step(self) -> None:
        if self.beneficiary is None or self.price is None:
            return
        self.ctx.navigate("canteen_confirm", menu=self.menu, beneficiary=self.beneficiary, payment=self.payment,
                          price=self.price, balance=self.balance)

    def reset_personal(self) -> None:
        self.live = False
        self.menu, self.people, self.prices, self.balance = None, [], {}, None
        super().reset_personal()
