"""File a report, done: the tracking number, large; the receipt prints (printer trouble: QR on screen)."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets.qr_image import QrImage
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_parts import RequestsScreen, restart_history, set_texts, text_label

log = logging.getLogger(__name__)

SAMPLE_TRACKING_NO = "1A2B3C4D-261121-0007K"
SAMPLE_PAYLOAD = f"KR1:{SAMPLE_TRACKING_NO}:K7QX2M"
QR_PX = 260  # not scaled with the text: the code must fit beside the words at 1.5x
NUMBER_PX = 112  # huge at every text size (it stays on one line at 1.5x too)


def spelled(tracking_no: str) -> str:
    """The number one character at a time, so speech does not read it as one long word."""
    return " ".join(ch for ch in tracking_no if ch != "-")


@register_screen
class RequestsReceiptScreen(RequestsScreen):
    name = "requests_receipt"

    def build(self) -> None:
        self.flow: Flow | None = None
        self.filed: Any = None
        self.fault_key = ""
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsReceiptHeading", "heading")
        self.number_caption = text_label("requestsReceiptCaption", "muted")
        self.number = self.label("requestsTrackingNo", "title", wrap=False)
        for widget in (self.heading, self.number_caption, self.number):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        texts = QVBoxLayout()
        texts.setSpacing(gap)
        self.status = text_label("requestsReceiptStatus")
        self.points = text_label("requestsReceiptPoints", "muted")
        texts.addWidget(self.status)
        texts.addWidget(self.points)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        self.qr = QrImage("requestsReceiptQr")
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QVBoxLayout()
        buttons.setSpacing(gap)
        self.done_button = self.button("requestsReceiptDone")
        self.again_button = self.button("requestsReceiptPrintAgain", "secondary")
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row, 1)

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.number.setStyleSheet(f"font-size: {NUMBER_PX}px; font-weight: bold;")
        self.heading.setText(_("Thank you. Your report is filed."))
        self.number_caption.setText(_("Your tracking number:"))
        self.number.setText(self.filed.tracking_no if self.filed is not None else "")
        self.number.setAccessibleName(spelled(self.filed.tracking_no) if self.filed is not None else "")
        self.status.setText(self._status_text())
        hazard = self.flow is not None and getattr(self.flow.category(), "safety_hazard", False)
        self.points.setText(_("When staff confirm a safety hazard you reported, you receive points."))
        self.points.setVisible(bool(hazard and self.flow.resident_id))
        show_qr = self.state in ("print_failed", "no_printer") and self.filed is not None
        if show_qr and self.qr.payload != self.filed.receipt_payload:
            self.qr.set_payload(self.filed.receipt_payload, QR_PX)
        self.qr.setVisible(show_qr)
        set_texts(self.done_button, _("Done"))
        set_texts(self.again_button, _("Print again"))
        self.again_button.setVisible(self.state == "print_failed")

    def _status_text(self) -> str:
        if self.state == "printing":
            return _("Printing your receipt…")
        if self.state == "printed":
            return _("Please take your receipt. Scan its QR code at any kiosk to see how it is going.")
        if self.state == "print_failed":
            reason = _(self.fault_key) if self.fault_key else _("Your receipt could not be printed.")
            return sentences(reason, _("Please take a photo of this QR code, or write down the number."))
        return sentences(_("This kiosk has no printer."),
                         _("Please take a photo of this QR code, or write down the number."))

    def connect_signals(self) -> None:
        self.done_button.clicked.connect(self.done)
        self.again_button.clicked.connect(self.print_receipt)

    def prompt(self) -> str:
        number = spelled(self.filed.tracking_no) if self.filed is not None else ""
        return sentences(_("Thank you. Your report is filed."),
                         tr("Your tracking number is {number}.", number=number), self._status_text())

    def title(self) -> str:
        return _("Your report is filed")

    def states(self) -> list[str]:
        return ["printing", "printed", "print_failed", "no_printer"]

    def set_state(self, state: str) -> None:
        if self.filed is None:
            from kiosk.requests.filing import Filed

            self.flow = sample_flow("safety_hazard", "C-GX-B3")
            self.flow.resident_id = "R-SAMPLE"
            self.filed = Filed(SAMPLE_TRACKING_NO, SAMPLE_PAYLOAD, datetime(2026, 11, 21, 6, 30, tzinfo=timezone.utc))
        if state == "print_failed" and not self.fault_key:
            self.fault_key = "printer.paper_out"
        super().set_state(state)

    def reset_personal(self) -> None:
        self.flow, self.filed, self.fault_key = None, None, ""
        self.qr.set_payload("")
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow) and "filed" in flow.extras:
            restart_history(self, "requests")  # Back never leads to the sent report's steps
            if flow is not self.flow:
                self.flow, self.filed, self.fault_key = flow, flow.extras["filed"], ""
                self.print_receipt()
                return
        if self.filed is None:
            self.set_state("no_printer")
        else:
            super().set_state(self.state if self.state in self.states() else "printed")

    # printing ----------------------------------------------------------------------------------
    def _printer(self) -> Any:
        hub = getattr(self.runtime, "devices", None)
        return hub.get("printer") if hub is not None else None

    def print_receipt(self) -> None:
        if self.flow is None or self.filed is None:
            return
        printer = self._printer()
        if printer is None:
            self.show_state("no_printer")
            return
        from kiosk.requests.filing import receipt_document

        try:
            doc = receipt_document(self.filed, self.flow.draft, self.flow.categories, self.flow.places,
                                   printer.renderer.paper.width_mm)
        except Exception as exc:  # noqa: BLE001 - a receipt problem must not hide the number
            log.error("receipt could not be laid out: %s", type(exc).__name__)
            self.fault_key = getattr(exc, "key", "")
            self.show_state("print_failed")
            return
        self.fault_key = ""
        self.show_state("printing")
        self.watch(printer.print_async(doc), self._printed, self._print_failed)
        from kiosk.staff.reprints import remember

        remember(self.ctx.runtime, doc, "request", self.filed.tracking_no)  # help-desk reprint

    def _printed(self, result: Any) -> None:
        self.show_state("printed")

    def _print_failed(self, exc: BaseException) -> None:
        log.warning("receipt not printed: %s", type(exc).__name__)
        self.fault_key = getattr(exc, "key", "")
        self.show_state("print_failed")

    def done(self) -> None:
        self.ctx.navigate("requests")
