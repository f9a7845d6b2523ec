"""Confirm a booking: everything read aloud once more, then book (server or offline reserve)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import (
    ServiceScreen, clock_text, day_name, error_text, meal_name, payment_name, price_text, set_flag, set_texts,
    spoken, text_label,
)

log = logging.getLogger(__name__)


@register_screen
class CanteenConfirmScreen(ServiceScreen):
    """``enter(menu, beneficiary, payment, price)``; Confirm books and shows the ticket."""

    name = "canteen_confirm"

    def build(self) -> None:
        self.menu: Any = None
        self.beneficiary: Any = None
        self.payment = "points"
        self.price: Any = None
        self.refusal = ""
        self.live = False
        self.done = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        layout.setSpacing(self.ctx.tokens.px(12))
        self.heading = self.label("canteenConfirmHeading", "heading")
        self.details = text_label("canteenConfirmDetails")
        self.details.setProperty("banner", "info")
        self.status = text_label("canteenConfirmStatus")
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addSpacing(gap)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.confirm_button = self.button("canteenConfirmBook")
        self.change_button = self.button("canteenConfirmChange", "secondary")
        for btn in (self.confirm_button, self.change_button):
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            row.addWidget(btn)
        row.addStretch(1)
        layout.addLayout(row)

    def connect_signals(self) -> None:
        self.confirm_button.clicked.connect(self.confirm)
        self.change_button.clicked.connect(lambda: self.ctx.navigate("canteen_book"))

    # texts ------------------------------------------------------------------------------------
    def detail_lines(self) -> list[str]:
        menu, price = self.menu, self.price
        if menu is None or price is None:
            return []
        who = self.beneficiary.masked_name if self.beneficiary is not None else ""
        lines = [
            tr("Meal: {meal}, {day}", meal=meal_name(menu.meal), day=day_name(menu.day, self.today())),
            tr("For: {name}", name=who or _("Me")),
            _("canteen_ui.list_glue").join((tr("Price: {price}", price=price_text(price)),
                                              tr("Pay with: {payment}", payment=payment_name(self.payment)))),
        ]
        if self.payment != "points":
            lines.append(_("Please pay the cash at the canteen counter when you eat."))
        lines.append(tr("You can cancel until {time}.", time=clock_text(menu.cutoff)))
        return lines

    def retranslate(self) -> None:
        self.heading.setText(_("Please check your booking"))
        self.details.setText("\n".join(self.detail_lines()))
        status = self._status_text()
        self.status.setText(status)
        self.status.setVisible(bool(status))
        set_flag(self.status, "banner", "alert" if self.state == "refused" else "info")
        set_texts(self.confirm_button, _("Confirm and book"))
        set_texts(self.change_button, _("Change"))
        busy = self.state == "booking"
        self.confirm_button.setEnabled(not busy and self.state != "refused")
        self.change_button.setEnabled(not busy)

    def _status_text(self) -> str:
        if self.state == "booking":
            return _("Booking… please wait a moment.")
        if self.state == "refused":
            return self.refusal
        return ""

    def prompt(self) -> str:
        if self.state == "booking":
            return self._status_text()
        if self.state == "refused":
            return sentences(self.refusal, _("Touch Change to choose again."))
        return sentences(
            _("Please check your booking."), spoken(self.detail_lines()),
            _("If it is right, touch Confirm and book."),
        )

    def title(self) -> str:
        return _("Please check your booking")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "cash", "booking", "refused"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self.menu = samples.sample_menus(self.today())[0]
            self.beneficiary = samples.sample_resident()
            self.price = samples.sample_price(self.menu)
            self.payment = "cash" if state == "cash" else "points"
            if state == "refused":
                self.refusal = _("Sorry, this meal is full. Please choose another meal or day.")
            state = "default" if state == "cash" else state
        super().set_state(state)

    # navigation -------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if "menu" not in params:
            if self.done:  # back from the ticket: this booking is made; show the bookings instead
                QTimer.singleShot(0, self, lambda: self.ctx.navigate("canteen_bookings", remember=False))
            return
        if not self.require_resident("canteen"):
            return
        self.live = True
        self.menu, self.beneficiary = params["menu"], params["beneficiary"]
        self.payment, self.price = str(params["payment"]), params["price"]
        self.refusal = ""
        self.done = False
        self.set_state("default")

    def confirm(self) -> None:
        if self.state == "booking" or not self.live or self.done:
            return
        runtime, payer = self.ctx.runtime, self.resident
        menu, beneficiary, payment = self.menu, self.beneficiary, self.payment
        operator_id = self.ctx.session.operator_id  # the help-desk staff member booking for them, if any
        if runtime is None or runtime.database is None or payer is None:
            self.refusal = _("The kiosk is still getting ready. Please try again in a moment.")
            self.show_state("refused")
            return

        def book() -> Any:
            from kiosk.canteen import booking

            return booking.book(runtime, menu=menu, payer=payer, beneficiary=beneficiary, payment=payment,
                                operator_id=operator_id)

        self.show_state("booking")
        self.run(book, self._booked, self._refused)

    def _booked(self, ticket: Any) -> None:
        self.done = True
        self.ctx.navigate("canteen_ticket", ticket=ticket)

    def _refused(self, exc: BaseException) -> None:
        if not getattr(exc, "key", None):
            log.error("booking failed: %s", type(exc).__name__)
        self.refusal = error_text(exc)
        self.show_state("refused")

    def reset_personal(self) -> None:
        self.live = self.done = False
        self.menu = self.beneficiary = self.price = None
        self.refusal = ""
        super().reset_personal()
