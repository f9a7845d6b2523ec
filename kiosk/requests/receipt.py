"""The receipt of a filed request: tracking number, category, place, time, and the QR that shows
the status at any kiosk. Nothing personal is printed (no name, no free text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.printer.document import Align, ReceiptDocument
from devices.printer.layout import paper_spec
from kiosk.i18n import _, current_language
from kiosk.requests.catalog import Category, Place, category_name, find_category, place_path_text

if TYPE_CHECKING:
    from kiosk.requests.filing import Draft, Filed


def build_receipt(filed: Filed, draft: Draft, categories: list[Category], places: list[Place],
                  paper_mm: int) -> ReceiptDocument:
    """Raises DeviceError ``printer.paper_width_unsupported`` for a paper width other than 58/80 mm."""
    from kiosk.requests.filing import LOCAL_TZ, _urgency_text

    paper_spec(paper_mm)
    lang = current_language()
    doc = ReceiptDocument()
    doc.title(_("Request receipt"))
    doc.blank()
    doc.row(_("Tracking number"), filed.tracking_no, bold=True)
    doc.row(_("Category"), category_name(categories, draft.category, lang))
    place = place_path_text(places, draft.place_code, lang)
    if place:
        doc.row(_("Place"), place)
    doc.row(_("Filed at"), filed.created_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"))
    doc.row(_("Urgency"), _urgency_text(draft.urgency))
    cat = find_category(categories, draft.category)
    said = [cat.phrase(c).name(lang) for c in draft.phrases if cat and cat.phrase(c)]
    if said:
        doc.text(("、" if lang == "zh_CN" else ", ").join(said))
    doc.separator()
    doc.text(_("Scan this code at any kiosk to see how your request is going."), align=Align.CENTER)
    doc.qr(filed.receipt_payload)
    doc.text(filed.tracking_no, align=Align.CENTER, bold=True)
    doc.footer(_("Please keep this receipt. Thank you!"))
    doc.cut()
    return doc
