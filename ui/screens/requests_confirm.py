"""File a report, step 4: the whole report in words, read aloud; Send files it (offline too)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_timeline import sample_words
from ui.widgets.requests_parts import RequestsScreen, card, go_back, later, set_texts, text_label

log = logging.getLogger(__name__)

SHOWN_TEXT_CHARS = 80  # the screen shows the start of long typed words; the voice reads them all
THUMB_W, THUMB_H = 400, 225
SAVE_FAILED = N_("Your report could not be saved. Please ask at the help desk.")


def file_report(database: Any, flow: Flow, operator_id: str | None = None) -> Any:
    """Store the report with its media and outbox records in one transaction (a Future of Filed).

    ``operator_id``: the help-desk staff member filing it for the resident, recorded on the server.
    """
    from kiosk.requests import filing

    draft, places, resident_id = flow.draft, flow.places, flow.resident_id

    def write(session: Any) -> Any:
        return filing.file_request(session, draft, resident_id, filing.kiosk_code(session), places=places,
                                   operator_id=operator_id)

    return database.write_async(write)


@register_screen
class RequestsConfirmScreen(RequestsScreen):
    name = "requests_confirm"

    def build(self) -> None:
        self.flow: Flow | None = None
        self.error_key = ""
        self.error_params: dict[str, Any] = {}
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsConfirmHeading", "heading")
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        box = card("requestsConfirmCard")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(gap, gap, gap, gap)
        self.summary = text_label("requestsConfirmSummary")
        inner.addWidget(self.summary)
        inner.addStretch(1)
        row.addWidget(box, 1)
        side = QVBoxLayout()
        side.setSpacing(gap)
        self.photo = QLabel()
        self.photo.setObjectName("requestsConfirmPhoto")
        self.photo.setFixedSize(THUMB_W, THUMB_H)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = text_label("requestsConfirmMessage")
        self.message.setProperty("banner", "alert")
        self.message.setFixedWidth(THUMB_W)
        side.addWidget(self.photo)
        side.addWidget(self.message)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.send_button = self.button("requestsConfirmSend")
        self.change_button = self.button("requestsConfirmChange", "secondary")
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.heading.setText(_("Please check your report"))
        self.summary.setText(self._shown_text())
        photo = self.flow.draft.photo_jpeg if self.flow is not None else None
        if photo:
            pixmap = QPixmap()
            pixmap.loadFromData(photo, "JPEG")
            self.photo.setPixmap(pixmap.scaled(THUMB_W, THUMB_H, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        failed = self.state in ("refused", "not_ready")
        self.photo.setVisible(bool(photo) and not failed)  # the message takes the photo's place
        self.message.setText(self._message())
        self.message.setVisible(failed)
        set_texts(self.send_button, _("Sending…") if self.state == "sending" else _("Send report"))
        self.send_button.setEnabled(self.state != "sending")
        set_texts(self.change_button, _("Change"))
        self.change_button.setEnabled(self.state != "sending")

    def _shown_text(self) -> str:
        if self.flow is None:
            return ""
        draft = self.flow.draft
        if len(draft.text) > SHOWN_TEXT_CHARS:
            shown = dataclasses.replace(draft, text=draft.text[:SHOWN_TEXT_CHARS].rstrip() + "…")
            return Flow(self.flow.categories, self.flow.places, shown).confirm_text()
        return self.flow.confirm_text()

    def _message(self) -> str:
        if self.state == "refused":
            return tr(self.error_key, **self.error_params) if self.error_key else ""
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment.")
        return ""

    def connect_signals(self) -> None:
        self.send_button.clicked.connect(self.send)
        self.change_button.clicked.connect(lambda: go_back(self))

    def prompt(self) -> str:
        if self.state in ("refused", "not_ready"):
            return self._message()
        if self.state == "sending":
            return _("Sending…")
        full = self.flow.confirm_text() if self.flow is not None else ""
        return sentences(full, _("Touch Send report to send it, or Change to go back."))

    def title(self) -> str:
        return _("Please check your report")

    def states(self) -> list[str]:
        return ["default", "sending", "refused", "not_ready"]

    def set_state(self, state: str) -> None:
        if self.flow is None:
            self.flow = sample_flow("safety_hazard", "C-GX-B3", with_media=True)
            self.flow.draft.text = sample_words()
        if state == "refused" and not self.error_key:
            self.error_key = "requests.photo_too_large"
            self.error_params = {"max_mb": 2}
        super().set_state(state)

    def reset_personal(self) -> None:
        self.flow = None
        self.error_key, self.error_params = "", {}
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            self.flow = flow
        self.error_key, self.error_params = "", {}
        if self.flow is not None and "filed" in self.flow.extras:  # already sent: never twice
            flow = self.flow
            later(self, lambda: self.ctx.navigate("requests_receipt", flow=flow, remember=False))
            return
        self.set_state("default")

    # sending -----------------------------------------------------------------------------------
    def send(self) -> None:
        if self.flow is None or self.state == "sending":
            return
        database = self.database
        if database is None or self.flow.sample:
            self.show_state("not_ready")
            return
        self.show_state("sending")
        self.watch(file_report(database, self.flow, self.ctx.session.operator_id), self._filed, self._failed)

    def _filed(self, filed: Any) -> None:
        assert self.flow is not None
        self.flow.extras["filed"] = filed
        sync = getattr(self.runtime, "sync", None)
        if sync is not None:  # online: deliver now; offline: the relay keeps trying
            try:
                sync.relay.sync_now()
            except Exception as exc:  # noqa: BLE001 - the report is saved; delivery retries by itself
                log.warning("sync after filing could not start: %s", type(exc).__name__)
        self.ctx.navigate("requests_receipt", flow=self.flow)

    def _failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        if key:
            self.error_key, self.error_params = key, dict(getattr(exc, "params", {}))
        else:
            log.error("report could not be filed: %s", type(exc).__name__)
            self.error_key, self.error_params = SAVE_FAILED, {}
        self.show_state("refused")
