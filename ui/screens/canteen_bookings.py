"""My bookings: see them, show a ticket again, cancel before the cut-off (the points come back)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import (
    ServiceScreen, card, choice_button, day_name, error_text, meal_name, set_flag, set_texts, spoken, text_label,
)

log = logging.getLogger(__name__)

STATUS_WORDS = {"cancelled": N_("canteen_ui.status.cancelled"), "served": N_("canteen_ui.status.served"),
                "no_show": N_("canteen_ui.status.no_show"), "refused": N_("canteen_ui.status.refused")}


@register_screen
class CanteenBookingsScreen(ServiceScreen):
    name = "canteen_bookings"

    def build(self) -> None:
        self.bookings: list[Any] = []
        self.page = 0
        self.chosen: Any = None  # the booking a cancel is being asked about
        self.message = ""
        self.live = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        layout.setSpacing(self.ctx.tokens.px(8))
        self.heading = self.label("canteenBookingsHeading", "heading")
        layout.addWidget(self.heading)
        self.rows = [_BookingRow(i, self) for i in range(3)]
        for row in self.rows:
            layout.addWidget(row.frame)
        self.status = text_label("canteenBookingsStatus")
        layout.addWidget(self.status)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.setSpacing(gap * 2)
        self.yes_button = self.button("canteenBookingsCancelYes")
        self.no_button = self.button("canteenBookingsCancelNo", "secondary")
        self.earlier_button = self.button("canteenBookingsEarlier", "secondary")
        self.later_button = self.button("canteenBookingsLater", "secondary")
        self.menu_button = self.button("canteenBookingsMenu", "secondary")
        for btn in (self.yes_button, self.no_button, self.earlier_button, self.later_button, self.menu_button):
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            bottom.addWidget(btn)
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def connect_signals(self) -> None:
        self.yes_button.clicked.connect(self.cancel_chosen)
        self.no_button.clicked.connect(lambda: self._ask(None))
        self.earlier_button.clicked.connect(lambda: self._turn(-1))
        self.later_button.clicked.connect(lambda: self._turn(1))
        self.menu_button.clicked.connect(lambda: self.ctx.navigate("canteen"))

    def page_size(self) -> int:
        return 2 if self.ctx.font_scale >= 1.5 else 3

    def shown(self) -> list[Any]:
        start = self.page * self.page_size()
        return self.bookings[start:start + self.page_size()]

    # texts ------------------------------------------------------------------------------------
    def describe(self, ticket: Any) -> str:
        first = tr("{meal}, {day}", meal=meal_name(ticket.meal), day=day_name(ticket.day, self.today()))
        second = [tr("For: {name}", name=ticket.masked_name or _("Me"))]
        if ticket.paid_points:
            second.append(tr("Paid: {points} points", points=ticket.paid_points))
        if ticket.status in STATUS_WORDS:
            second.append(_(STATUS_WORDS[ticket.status]))
        return first + "\n" + _("canteen_ui.list_glue").join(second)

    def retranslate(self) -> None:
        self.heading.setText(_("My bookings"))
        asking = self.state == "confirm_cancel"
        busy = self.state in ("loading", "cancelling")
        shown = self.shown() if self.state not in ("loading", "error") else []
        for index, row in enumerate(self.rows):
            row.show(shown[index] if index < len(shown) else None, enabled=not asking and not busy)
        status = self._status_text()
        self.status.setText(status)
        self.status.setVisible(bool(status))
        set_flag(self.status, "banner", {"refused": "alert", "cancelled": "ok"}.get(self.state, "info"))
        set_texts(self.yes_button, _("Yes, cancel it"))
        set_texts(self.no_button, _("No, keep it"))
        set_texts(self.earlier_button, _("Earlier bookings"))
        set_texts(self.later_button, _("More bookings"))
        set_texts(self.menu_button, _("Back to the menu"))
        self.yes_button.setVisible(asking)
        self.no_button.setVisible(asking)
        self.earlier_button.setVisible(not asking and self.page > 0)
        self.later_button.setVisible(not asking and (self.page + 1) * self.page_size() < len(self.bookings))
        self.menu_button.setVisible(not asking)

    def _status_text(self) -> str:
        if self.state == "loading":
            return _("Loading your bookings…")
        if self.state == "cancelling":
            return _("Cancelling… please wait a moment.")
        if self.state == "error":
            return _("Your bookings could not be read. Please ask a staff member.")
        if self.state == "confirm_cancel" and self.chosen is not None:
            what = tr("{meal}, {day}", meal=meal_name(self.chosen.meal), day=day_name(self.chosen.day, self.today()))
            back = tr("The {points} points will come back to you.", points=self.chosen.paid_points) \
                if self.chosen.paid_points else ""
            return sentences(tr("Cancel the booking for {what}?", what=what), back)
        if self.state in ("cancelled", "refused"):
            return self.message
        if not self.bookings:
            return _("You have no meal bookings.")
        return ""

    def prompt(self) -> str:
        if self.state in ("default",) and self.bookings:
            listed = spoken([self.describe(t).replace("\n", _("canteen_ui.list_glue")) for t in self.shown()])
            return sentences(_("Your meal bookings."), listed,
                             _("To cancel one, touch Cancel next to it."))
        return self._status_text()

    def title(self) -> str:
        return _("My bookings")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "empty", "confirm_cancel", "cancelled", "refused", "loading", "error"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self.page = 0
            self.bookings = [] if state == "empty" else samples.sample_bookings(self.today())
            self.chosen = self.bookings[0] if self.bookings else None
            if state == "cancelled":
                self.message = self._cancelled_text(self.chosen.paid_points)
            elif state == "refused":
                self.message = self._refused_text(_("Booking for this meal has closed, so it can no longer "
                                                    "be cancelled."))
            state = "default" if state == "empty" else state
        super().set_state(state)

    @staticmethod
    def _cancelled_text(points: int) -> str:
        if points:
            return tr("Your booking is cancelled. {points} points are back in your account.", points=points)
        return _("Your booking is cancelled.")

    @staticmethod
    def _refused_text(reason: str) -> str:
        return sentences(reason, _("If you cannot come, please tell the canteen staff."))

    # navigation and actions --------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if not self.require_resident():
            return
        self.live = True
        self.page, self.chosen, self.message = 0, None, ""
        self.set_state("loading")
        self._load()

    def _load(self, then: str = "default") -> None:
        database, resident = self.database, self.resident
        if database is None:
            self.set_state("error")
            return

        def load() -> list[Any]:
            from kiosk.canteen.booking import my_bookings

            with database.session() as session:
                return my_bookings(session, resident.resident_id)

        self.run(load, lambda found: self._loaded(found, then))

    def _loaded(self, found: list[Any], then: str) -> None:
        self.bookings = list(found)
        self.page = min(self.page, max(0, (len(self.bookings) - 1) // self.page_size()))
        self.show_state(then)

    def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.show_state("default")

    def _ask(self, ticket: Any | None) -> None:
        self.chosen = ticket
        self.show_state("confirm_cancel" if ticket is not None else "default")

    def show_ticket(self, ticket: Any) -> None:
        self.ctx.navigate("canteen_ticket", ticket=ticket, print=False)

    def cancel_chosen(self) -> None:
        ticket, runtime, resident = self.chosen, self.ctx.runtime, self.resident
        operator_id = self.ctx.session.operator_id  # staff cancelling or refunding for the resident
        if ticket is None or not self.live or runtime is None or self.state == "cancelling":
            return

        def cancel() -> int:
            from kiosk.canteen import booking

            return booking.cancel(runtime, ticket.booking_id, reason="staff" if operator_id else "resident",
                                  resident=resident, operator_id=operator_id)

        self.show_state("cancelling")
        self.run(cancel, self._cancelled, self._refused)

    def _cancelled(self, points_back: int) -> None:
        self.message = self._cancelled_text(int(points_back or 0))
        self._load(then="cancelled")

    def _refused(self, exc: BaseException) -> None:
        if not getattr(exc, "key", None):
            log.error("cancel failed: %s", type(exc).__name__)
        self.message = self._refused_text(error_text(exc))
        self.show_state("refused")

    def reset_personal(self) -> None:
        self.live = False
        self.bookings, self.chosen, self.message = [], None, ""
        super().reset_personal()


class _BookingRow:
    """One booking: what, for whom, paid; Show ticket and Cancel buttons while it is still booked."""

    def __init__(self, index: int, screen: CanteenBookingsScreen) -> None:
        self.screen = screen
        self.ticket: Any = None
        self.frame = card(f"canteenBooking{index}")
        row = QHBoxLayout(self.frame)
        gap = screen.ctx.tokens.gap
        row.setContentsMargins(gap, 4, 8, 4)
        row.setSpacing(gap)
        self.text = text_label(f"canteenBooking{index}Text")
        self.show_button = choice_button(f"canteenBooking{index}Show")
        self.cancel_button = choice_button(f"canteenBooking{index}Cancel")
        row.addWidget(self.text, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.cancel_button)
        self.show_button.clicked.connect(lambda: self.ticket is not None and screen.show_ticket(self.ticket))
        self.cancel_button.clicked.connect(lambda: self.ticket is not None and screen._ask(self.ticket))

    def show(self, ticket: Any | None, *, enabled: bool) -> None:
        self.ticket = ticket
        self.frame.setVisible(ticket is not None)
        if ticket is None:
            return
        self.text.setText(self.screen.describe(ticket))
        open_ = ticket.status not in STATUS_WORDS
        what = tr("{meal}, {day}", meal=meal_name(ticket.meal), day=day_name(ticket.day, self.screen.today()))
        set_texts(self.show_button, _("Show ticket"), tr("Show the ticket for {what}", what=what))
        set_texts(self.cancel_button, _("Cancel"), tr("Cancel the booking for {what}", what=what))
        self.show_button.setVisible(open_)
        self.cancel_button.setVisible(open_)
        self.show_button.setEnabled(enabled)
        self.cancel_button.setEnabled(enabled)
