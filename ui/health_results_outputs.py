"""The results screen's outputs: the receipt (with the on-screen QR when paper fails) and the PDF report."""

from __future__ import annotations

import logging
from typing import Any

from devices.errors import DeviceError
from kiosk.i18n import N_, _, sentences, tr
from ui.health_device import role_readiness, translated
from ui.health_printing import fallback_payload, receipt
from ui.health_report_pdf import ReportJob
from ui.health_style import half_scaled
from ui.health_visit import HealthVisit
from ui.tasks import watch

log = logging.getLogger(__name__)
PRINT_FAULT = N_("The receipt could not be printed. Please ask a member of staff.")


class ResultsOutputs:
    """Mixin of HealthResultsScreen: print and PDF actions; outcomes through ``_set_action``."""

    def print_receipt(self) -> None:
        hub = getattr(self.ctx.runtime, "devices", None)
        printer = hub.get("printer") if hub is not None else None
        if printer is None:
            self._print_failed(role_readiness(hub, "printer").reason)
            return
        resident = self.visit.resident if self.visit is not None and self.visit.keep else None
        try:
            doc = receipt(self.measurements, self.assessments, masked_name=resident.masked_name if resident else None,
                          when=self.when, server_url=self.ctx.config.server.url,
                          check_id=self.saved.check_id if self.saved else None, printer=printer)
        except (DeviceError, ValueError) as exc:
            log.error("receipt could not be laid out: %s", type(exc).__name__)
            self._print_failed(_(PRINT_FAULT))
            return
        self._set_action("printing", translated("printer.printing"), speak=True)
        self._jobs["print"] = watch(self, printer.print_async(doc), self._printed, self._print_error)
        from kiosk.staff.reprints import remember

        remember(self.ctx.runtime, doc, "health", self.when.strftime("%m-%d %H:%M"))  # help-desk reprint

    def _printed(self, result: Any) -> None:
        self._jobs.pop("print", None)
        warnings = [translated(key) for key in getattr(result, "warnings", ())]
        self._set_action("printed", sentences(_("Please take your receipt."), *warnings), speak=True)

    def _print_error(self, exc: BaseException) -> None:
        self._jobs.pop("print", None)
        if isinstance(exc, DeviceError):
            self._print_failed(translated(exc.key, exc.params, fallback=PRINT_FAULT))
        else:
            log.error("printing failed: %s", type(exc).__name__)
            self._print_failed(_(PRINT_FAULT))

    def _print_failed(self, words: str, speak: bool = True) -> None:
        url = self.ctx.config.server.url
        payload = fallback_payload(url, self.saved.check_id if self.saved and self.saved.stored else None,
                                   self.measurements, self.when)
        self.qr.set_payload(payload, half_scaled(self.ctx.tokens, 280))
        self.qr.setAccessibleName(_("QR code with your results"))
        self._set_action("print_failed", words, speak=speak)

    def make_pdf(self) -> None:
        if self.ctx.runtime is None or "pdf" in self._jobs:
            return
        visit = self.visit or HealthVisit()
        self._set_action("pdf_writing", _("Making your PDF report…"), speak=True)
        self._jobs["pdf"] = ReportJob(
            self, self.ctx, masked_name=visit.resident.masked_name if visit.keep and visit.resident else None,
            resident_id=visit.resident_id if self.save_state == "saved" else None,
            measurements=self.measurements, assessments_by_kind=self.assessments, when=self.when,
            on_done=self._pdf_done, on_error=self._pdf_failed)

    def _pdf_done(self, path: Any) -> None:
        self._jobs.pop("pdf", None)
        self.report_path = path
        self._set_action("pdf_saved", self._pdf_words(path.name), speak=True)

    def _pdf_failed(self, exc: BaseException) -> None:
        self._jobs.pop("pdf", None)
        log.error("PDF report failed: %s", type(exc).__name__)
        self._set_action("pdf_failed", _("The report could not be made just now. Please ask a member of staff."),
                         speak=True)

    @staticmethod
    def _pdf_words(file_name: str) -> str:
        return tr("PDF report saved as {file}. Staff at the help desk can print or send it.", file=file_name)

