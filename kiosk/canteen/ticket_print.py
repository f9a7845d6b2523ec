"""The printed meal ticket: masked name only, day and meal, counter, price, payment, and the signed QR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.printer.document import Align, ReceiptDocument
from kiosk.i18n import N_, _, tr

if TYPE_CHECKING:
    from kiosk.canteen.booking import Ticket

MEAL_NAMES = {"lunch": N_("Lunch"), "dinner": N_("Dinner")}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def meal_name(meal: str) -> str:
    return _(MEAL_NAMES.get(meal, meal))


def ticket_document(ticket: Ticket, paper_mm: int) -> ReceiptDocument:
    """The ticket to print, in the current language; its QR is ``ticket.payload``.

    ``paper_mm`` (58 or 80) is the printer's paper; the layout wraps itself, so it only decides
    whether the tier line is printed in full.
    """
    doc = ReceiptDocument().title(_("Community canteen"))
    doc.text(_("Meal ticket"), align=Align.CENTER, bold=True, width=2, height=2)
    doc.separator("=")
    doc.row(_("Name"), ticket.masked_name or "-")
    day = f"{ticket.day.isoformat()} {_(WEEKDAYS[ticket.day.weekday()])}"
    doc.row(_("Date"), day)
    doc.row(_("Meal"), meal_name(ticket.meal), bold=True)
    doc.row(_("Counter"), tr("Counter {number}", number=ticket.counter_no), bold=True)
    doc.separator()
    doc.row(_("Price"), tr("{points} points ({yuan} yuan)", points=ticket.price.points, yuan=ticket.price.yuan_text))
    if ticket.price.tier and paper_mm >= 58:
        doc.text(tr("Age {tier}: {percent}% off", tier=ticket.price.tier, percent=ticket.price.discount_pct))
        if ticket.price.subsidy_points:
            doc.text(tr("Subsidy: {points} points", points=ticket.price.subsidy_points))
    doc.row(_("Paid with points"), str(ticket.paid_points))
    if ticket.paid_cash_yuan not in ("", "0.00"):
        doc.row(_("Cash at the counter"), tr("{yuan} yuan", yuan=ticket.paid_cash_yuan), bold=True)
    doc.separator()
    doc.qr(ticket.payload)
    doc.footer(_("Show this code at the counter"))
    if ticket.offline:
        doc.footer(_("Booked while offline; it will be confirmed"))
    return doc.cut()
