"""Check a receipt: anyone shows a receipt's QR code; the server says how the request is going."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n import N_, _, sentences
from ui.icons import icon
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.widgets.requests_parts import RequestsScreen, set_texts, text_label

log = logging.getLogger(__name__)

NOT_A_RECEIPT = N_("This is not a request receipt. Please show the QR code printed on your receipt.")
NO_SERVER = N_("This kiosk cannot reach the community office now. Please try again later.")


def lookup(runtime: Any, payload: str) -> Any:
    """The public status behind ``payload`` from the server (BLOCKING: off the Qt thread).

    Uses its own short-lived client, so the sync relay's connection is never shared.
    """
    from kiosk.requests import errors, follow

    config = runtime.config
    if not config.server.url.strip():
        raise errors.RequestError(errors.OFFLINE)
    from kiosk.sync.enrollment import load_credentials
    from kiosk.sync.service import make_client

    credentials = load_credentials(runtime.database) if runtime.database is not None else None
    client = make_client(config.server, credentials)
    try:
        return follow.public_status(client, payload)
    finally:
        client.close()


@register_screen
class RequestsCheckScreen(RequestsScreen):
    """States: default (waiting for a scan), checking, invalid, not_found, offline."""

    name = "requests_check"
    starts_session = False  # nothing personal: anyone may check a receipt
    scanned = Signal(str)  # a scanner thread's payload, re-emitted on the Qt thread

    def build(self) -> None:
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        self.busy = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsCheckHeading", "title")
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.picture = QLabel()
        self.picture.setObjectName("requestsCheckPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        texts = QVBoxLayout()
        texts.setSpacing(gap)
        self.explain = text_label("requestsCheckExplain")
        self.status = text_label("requestsCheckStatus", "heading")
        texts.addStretch(1)
        texts.addWidget(self.explain)
        texts.addWidget(self.status)
        texts.addStretch(1)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        self.back_button = self.button("requestsCheckBack", "secondary")
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.picture.setPixmap(icon("request_receipt", tokens.palette.text, tokens.px(160)).pixmap(tokens.px(160)))
        self.heading.setText(_("Check a receipt"))
        self.explain.setText(_("Hold the QR code on your receipt to the scanner window and keep it still. "
                               "No login is needed."))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        set_texts(self.back_button, _("Go back"))

    def _status_text(self) -> str:
        return {
            "checking": _("Looking it up…"),
            "invalid": _(NOT_A_RECEIPT),
            "not_found": _("No request with this receipt was found. Please ask at the help desk."),
            "offline": _(NO_SERVER),
        }.get(self.state, "")

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_payload)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("requests"))

    def prompt(self) -> str:
        if self.state == "default":
            return sentences(_("Check a receipt."), _("Please show the QR code on your receipt to the scanner."))
        return self._status_text()

    def title(self) -> str:
        return _("Check a receipt")

    def states(self) -> list[str]:
        return ["default", "checking", "invalid", "not_found", "offline"]

    def enter(self, **params: object) -> None:
        self.busy = False
        super().set_state("default")
        self._scanner.start(self.runtime)

    def leave(self) -> None:
        super().leave()
        self.busy = False
        self._scanner.stop()

    # scanning ------------------------------------------------------------------------------------

    def submit_payload(self, payload: str) -> None:
        """Look up a scanned receipt (scanner or test); ignored while a lookup runs."""
        if self.busy:
            return
        from kiosk.requests.follow import parse_receipt_payload

        if parse_receipt_payload(payload) is None:
            self.show_state("invalid")
            return
        runtime = self.runtime
        if runtime is None:
            self.show_state("offline")
            return
        self.busy = True
        self.show_state("checking")
        self.run(lambda: lookup(runtime, payload), self._found, self._failed)

    def _found(self, status: Any) -> None:
        self.busy = False
        self.ctx.navigate("requests_public", status=status)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        key = getattr(exc, "key", "")
        if key == "requests.not_found":
            self.show_state("not_found")
        elif key == "requests.invalid_receipt":
            self.show_state("invalid")
        else:
            if not key:
                log.warning("receipt lookup failed: %s", type(exc).__name__)
            self.show_state("offline")

