"""Reprint a receipt or ticket printed at this kiosk (the last 20, kept in memory only)."""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from devices.printer.document import ReceiptDocument
from kiosk.i18n import N_, _, current_language, sentences, tr
from kiosk.staff.reprints import PrintedSlip, journal, reprint_document
from ui.screens import register_screen
from ui.staff_parts import StaffScreen
from ui.tech_parts import clear_layout, device_words, set_texts

log = logging.getLogger(__name__)

SHOWN = 5
KIND_NAMES = {"health": N_("Health receipt"), "request": N_("Request receipt"), "canteen": N_("Meal ticket"),
              "points": N_("Points receipt"), "other": N_("Slip")}


def _sample_slips() -> list[PrintedSlip]:
    now = time.time()
    doc = ReceiptDocument().title("sample")
    return [PrintedSlip(2, "request", "GX-251121-0042K", now - 300, doc),
            PrintedSlip(1, "health", "", now - 1500, doc)]


@register_screen
class StaffReprintScreen(StaffScreen):
    """States: default (the list), empty, printing, printed, failed (the printer's reason), no_printer.

    Canteen tickets join the list once the canteen screens call ``kiosk.staff.reprints.remember``
    after printing (the hook every printing screen uses).
    """

    name = "staff_reprint"

    def build(self) -> None:
        self.slips: list[PrintedSlip] = []
        self.reason_key = ""
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffReprintHeading", "heading")
        self.back = self.back_button("staffReprintBack")
        top.addWidget(self.heading, 1)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.explain = self.text("staffReprintExplain")
        layout.addWidget(self.explain)
        self.status = self.text("staffReprintStatus", "techStrong")
        layout.addWidget(self.status)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(self.gap)
        layout.addLayout(self.rows)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(_("Reprint"))
        self.set_back_text(self.back)
        self.explain.setText(_("The last slips printed at this kiosk, newest first. "
                               "They are kept for a few hours and never saved to disk."))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        self._fill()

    def _status_text(self) -> str:
        if self.state == "empty":
            return _("Nothing has been printed here recently.")
        if self.state == "printing":
            return _("Printing…")
        if self.state == "printed":
            return _("Printed. Please hand the slip to the resident.")
        if self.state == "failed":
            return device_words(self.reason_key) if self.reason_key else _("The printer did not print.")
        if self.state == "no_printer":
            return _("This kiosk has no printer set up.")
        return ""

    def _fill(self) -> None:
        clear_layout(self.rows)
        for slip in self.slips[:SHOWN]:
            frame = QFrame()
            frame.setObjectName(f"staffSlip_{slip.slip_id}")
            row = QHBoxLayout(frame)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(self.gap)
            minutes = max(0, int((time.time() - slip.printed_at) // 60))
            what = _(KIND_NAMES.get(slip.kind, KIND_NAMES["other"]))
            what = f"{what} {slip.label}" if slip.label else what
            label = self.text(f"staffSlipText_{slip.slip_id}")
            label.setText(tr("{what}, {minutes} min ago", what=what, minutes=minutes))
            btn = self.action(f"staffSlipPrint_{slip.slip_id}")
            set_texts(btn, _("Reprint"), tr("Reprint the {what}", what=what))  # the kind and its label
            btn.setEnabled(self.state != "printing")
            btn.clicked.connect(lambda _checked=False, s=slip: self.reprint(s))
            row.addWidget(label, 1)
            row.addWidget(btn)
            self.rows.addWidget(frame)

    def prompt(self) -> str:
        return sentences(_("Reprint."), self._status_text() or self.explain.text())

    def title(self) -> str:
        return _("Reprint")

    def states(self) -> list[str]:
        return ["default", "empty", "printing", "printed", "failed", "no_printer"]

    def set_state(self, state: str) -> None:
        self.slips = [] if state == "empty" else _sample_slips()
        self.reason_key = "printer.paper_out" if state == "failed" else ""
        self.show_state(state)

    def enter(self, **params: object) -> None:
        self.reason_key = ""
        self._load()

    def reset_personal(self) -> None:
        self.slips = []
        super().reset_personal()

    def _load(self, state: str | None = None) -> None:
        self.slips = journal(self.runtime).recent() if self.runtime is not None else []
        self.show_state(state or ("default" if self.slips else "empty"))

    # printing ----------------------------------------------------------------------------------
    def reprint(self, slip: PrintedSlip) -> None:
        hub = getattr(self.runtime, "devices", None)
        printer = hub.get("printer") if hub is not None else None
        if printer is None:
            self.show_state("no_printer", speak=True)
            return
        if self.state == "printing":
            return
        from ui.tasks import watch

        document = reprint_document(slip, _("Reprint"))
        self.show_state("printing")
        log.info("staff reprint of a %s slip", slip.kind)
        self._watchers.append(watch(self, printer.print_async(document), self._printed, self._print_failed))

    def _printed(self, _result: Any) -> None:
        self._load("printed")
        self.ctx.voice.say(self._status_text(), current_language())

    def _print_failed(self, exc: BaseException) -> None:
        self.reason_key = getattr(exc, "key", "") or ""  # DeviceError keys: printer.paper_out, ...
        log.error("reprint failed: %s", type(exc).__name__)
        self._load("failed")
