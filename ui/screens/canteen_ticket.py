"""The meal ticket: printed with its QR code, and always shown on screen too."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import (
    ServiceScreen, day_name, full_stop, meal_name, set_flag, set_texts, spoken, text_label,
)
from ui.widgets.qr_image import QrImage

log = logging.getLogger(__name__)


@register_screen
class CanteenTicketScreen(ServiceScreen):
    """``enter(ticket=Ticket)`` prints the ticket; a printer problem leaves it on screen, said plainly."""

    name = "canteen_ticket"

    def build(self) -> None:
        self.ticket: Any = None
        self.print_problem = ""
        self.live = False
        self.qr_px = self.ctx.tokens.px(280)
        gap = self.ctx.tokens.gap
        layout = self.column()
        top = QHBoxLayout()
        top.setSpacing(gap * 2)
        self.qr = QrImage("canteenTicketQr")
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(self.ctx.tokens.px(12))
        self.heading = self.label("canteenTicketHeading", "heading")
        self.details = text_label("canteenTicketDetails")
        self.status = text_label("canteenTicketStatus")
        texts.addWidget(self.heading)
        texts.addWidget(self.details)
        texts.addWidget(self.status)
        texts.addStretch(1)
        top.addLayout(texts, 1)
        layout.addLayout(top, 1)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.done_button = self.button("canteenTicketDone")
        self.reprint_button = self.button("canteenTicketReprint", "secondary")
        self.bookings_button = self.button("canteenTicketBookings", "secondary")
        for btn in (self.done_button, self.reprint_button, self.bookings_button):
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            row.addWidget(btn)
        row.addStretch(1)
        layout.addLayout(row)

    def connect_signals(self) -> None:
        self.done_button.clicked.connect(lambda: self.ctx.navigate("home"))
        self.reprint_button.clicked.connect(self.print_ticket)
        self.bookings_button.clicked.connect(lambda: self.ctx.navigate("canteen_bookings"))

    # texts ------------------------------------------------------------------------------------
    def detail_lines(self) -> list[str]:
        t = self.ticket
        if t is None:
            return []
        who = [tr("For: {name}", name=t.masked_name or _("Me"))]
        if t.paid_points:
            who.append(tr("Paid: {points} points", points=t.paid_points))
        lines = [
            tr("Meal: {meal}, {day}", meal=meal_name(t.meal), day=day_name(t.day, self.today())),
            _("canteen_ui.list_glue").join(who),
        ]
        if t.paid_cash_yuan and t.paid_cash_yuan.strip("0.") != "":
            lines.append(tr("Please pay {yuan} yuan in cash at the counter.", yuan=t.paid_cash_yuan))
        lines.append(tr("Collect your meal at counter {number}.", number=getattr(t, "counter_no", 1) or 1))
        if getattr(t, "offline", False):
            lines.append(_("Booked while the kiosk was offline: it is confirmed when the kiosk is online again."))
        return lines

    def retranslate(self) -> None:
        self.heading.setText(_("Your meal ticket"))
        self.details.setText("\n".join(self.detail_lines()))
        self.status.setText(self._status_text())
        set_flag(self.status, "banner", "warn" if self.state in ("print_failed", "no_printer") else "info")
        set_texts(self.done_button, _("Done"))
        set_texts(self.reprint_button, _("Print again"))
        set_texts(self.bookings_button, _("My bookings"))
        self.reprint_button.setVisible(self.state in ("print_failed", "shown"))
        if self.state == "shown":
            set_texts(self.reprint_button, _("Print the ticket"))
        self.done_button.setEnabled(self.state != "printing")

    def _status_text(self) -> str:
        if self.state == "printing":
            return _("Printing your ticket…")
        if self.state == "print_failed":
            return sentences(
                full_stop(self.print_problem),
                _("Your booking is saved. Show this QR code at the canteen counter, "
                  "or tell the staff there your name."))
        if self.state == "no_printer":
            return _("This kiosk has no printer. Your booking is saved. Show this QR code at the canteen "
                     "counter, or tell the staff there your name.")
        if self.state == "shown":
            return _("Show this QR code at the canteen counter. You can also print the ticket.")
        return _("Your ticket is printed. Please take it and show it at the canteen counter.")

    def prompt(self) -> str:
        booked = sentences(_("Your meal ticket.") if self.state == "shown" else _("Your meal is booked."),
                           spoken(self.detail_lines()))
        if self.state == "printing":
            return sentences(booked, self._status_text())
        return sentences(booked, self._status_text(), _("Touch Done when you are finished."))

    def title(self) -> str:
        return _("Your meal ticket")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "printing", "print_failed", "no_printer", "shown"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self._show_ticket(samples.sample_ticket(samples.sample_menus(self.today())[0]))
            if state == "print_failed":
                self.print_problem = tr("printer.paper_out")
        super().set_state(state)

    def _show_ticket(self, ticket: Any) -> None:
        self.ticket = ticket
        self.qr.set_payload(ticket.payload, self.qr_px)
        self.qr.setAccessibleName(_("The QR code of your meal ticket"))

    # navigation and printing -------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        ticket = params.get("ticket")
        if ticket is None:
            return
        self.live = True
        self._show_ticket(ticket)
        if params.get("print", True):
            self.print_ticket()
        else:
            self.set_state("shown")

    def print_ticket(self) -> None:
        if not self.live or self.state == "printing":
            return
        hub = getattr(self.ctx.runtime, "devices", None)
        printer = hub.get("printer") if hub is not None else None
        if printer is None:
            self.show_state("no_printer")
            return
        ticket, runtime = self.ticket, self.ctx.runtime

        def job() -> Any:
            from kiosk.canteen.booking import ticket_document
            from kiosk.staff.reprints import remember

            document = ticket_document(ticket, printer.renderer.paper.width_mm)
            result = printer.print(document)
            remember(runtime, document, "canteen", f"{ticket.day.isoformat()} {ticket.meal}")  # help-desk reprint
            return result

        self.set_state("printing")
        self.run(job, self._printed, self._print_failed)

    def _printed(self, _result: Any) -> None:
        self.show_state("default")

    def _print_failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", None)
        if not key:
            log.error("ticket printing failed: %s", type(exc).__name__)
        self.print_problem = tr(key, **dict(getattr(exc, "params", {}) or {})) if key else \
            _("The printer did not answer.")
        self.show_state("print_failed")

    def reset_personal(self) -> None:
        self.live = False
        self.ticket = None
        self.qr.set_payload("")
        self.print_problem = ""
        super().reset_personal()
