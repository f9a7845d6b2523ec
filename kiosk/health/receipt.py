"""The health check receipt (ESC/POS document): masked name, values, categories, advice and a QR."""

from __future__ import annotations

from datetime import datetime

from devices.printer.document import Align, ReceiptDocument
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment
from kiosk.health.summary import value_rows
from kiosk.i18n import N_, _

TITLE = N_("Health check results")
VIEW_PATH = "/h/"
LEVEL_MARKS = {1: N_("[take note] "), 2: N_("[see the doctor] "), 3: N_("[see the doctor] ")}


def view_payload(server_url: str, check_id: str) -> str:
    """What the receipt QR holds: the server's page for this check (masked name and values)."""
    base = server_url.strip().rstrip("/")
    if not base:
        raise ValueError("no server URL: the record cannot be viewed online")
    if not check_id.isascii() or not check_id.isalnum():
        raise ValueError("check id must be ASCII letters and digits")
    return f"{base}{VIEW_PATH}{check_id}"


def health_receipt(measurements: list[Measurement], assessments_by_kind: dict[str, list[Assessment]], *,
                   masked_name: str | None, when: datetime, view_payload: str | None,
                   paper_mm: int) -> ReceiptDocument:
    """The receipt in the current language. ``assessments_by_kind`` maps a measurement kind
    ("bp", "weight", ...) to its assessments; a guest (``masked_name`` None) is printed as such.
    ``paper_mm`` (58/80) is the printer's: the renderer wraps to it.
    """
    if paper_mm not in (58, 80):
        raise ValueError("paper_mm must be 58 or 80")
    local = when.astimezone()
    doc = ReceiptDocument().title(_(TITLE))
    doc.row(_("Name"), masked_name or _("Guest"))
    doc.row(_("Time"), local.strftime("%Y-%m-%d %H:%M"))
    doc.separator("=")
    for m in measurements:
        for label, number, unit in value_rows(m):
            doc.row(label, f"{number} {unit}".strip(), bold=True)
        for a in assessments_by_kind.get(m.kind, []):
            doc.row(_("Result"), _(a.label))
            if a.level:  # normal results need no advice: keep the slip short
                doc.text(_(LEVEL_MARKS[a.level]) + _(a.advice))
        doc.separator()
    if view_payload:
        doc.text(_("Scan to see this record again:"), align=Align.CENTER)
        doc.qr(view_payload)
    doc.footer(_("For reference only. It does not replace a doctor's diagnosis."))
    doc.footer(_("Thank you. Please take good care."))
    return doc.cut()
