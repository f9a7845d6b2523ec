"""Technician server settings: address, enrollment code, network test; saved for the next start."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QLineEdit

from kiosk.config import ConfigError
from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.tech_config import save_server
from ui.tech_mode import RESTART_EXIT_CODE, tech_mode
from ui.tech_parts import TechScreen, breakable, set_role, set_texts

log = logging.getLogger(__name__)

SAMPLE_URL = "https://community.example.cn"


def network_check(config: Any, url: str) -> Any:
    """kiosk.doctor.check_server for ``url`` (BLOCKING: a worker)."""
    from kiosk.doctor import check_server

    trial = config.model_copy(deep=True)
    trial.server.url = url.strip()
    return check_server(trial)


@register_screen
class TechServerScreen(TechScreen):
    """States: default, testing, passed, failed (network test), saved, not_saved."""

    name = "tech_server"

    def build(self) -> None:
        self.message = ""
        layout = self.tech_column()
        self.heading = self.label("techServerHeading", "heading")
        layout.addWidget(self.heading)
        form = self.grid()
        self.url_label = self.text("techServerUrlLabel", "techStrong")
        self.url = QLineEdit()
        self.url.setObjectName("techServerUrl")
        self.code_label = self.text("techServerCodeLabel", "techStrong")
        self.code = QLineEdit()
        self.code.setObjectName("techServerCode")
        form.addWidget(self.url_label, 0, 0)
        form.addWidget(self.url, 0, 1)
        form.addWidget(self.code_label, 1, 0)
        form.addWidget(self.code, 1, 1)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        self.link = self.text("techServerLink", "tech")
        self.result = self.text("techServerResult", "tech")
        layout.addWidget(self.link)
        layout.addWidget(self.result)
        layout.addStretch(1)
        actions = self.row()
        self.test_button = self.action("techServerTest")
        self.save_button = self.action("techServerSave", secondary=True)
        self.restart_button = self.action("techServerRestart", secondary=True)
        self.back_button = self.action("techServerBack", secondary=True)
        for btn in (self.test_button, self.save_button, self.restart_button):
            actions.addWidget(btn)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Server and network"))
        self.url_label.setText(_("Server address"))
        self.url.setAccessibleName(_("Server address"))
        self.url.setPlaceholderText(SAMPLE_URL)
        self.code_label.setText(_("Enrollment code"))
        self.code.setAccessibleName(_("Enrollment code"))
        self.link.setText(self._link_text())
        self.result.setText(self._result_text())
        self.result.setVisible(bool(self.result.text()))
        set_role(self.result, {"passed": "techOk", "saved": "techOk", "failed": "techAlert",
                               "not_saved": "techAlert"}.get(self.state, "tech"))
        set_texts(self.test_button, _("Test the network"))
        set_texts(self.save_button, _("Save"))
        set_texts(self.restart_button, _("Restart to apply"))
        self.restart_button.setVisible(self.state == "saved")
        set_texts(self.back_button, _("Technician menu"))
        busy = self.state == "testing"
        self.test_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def _link_text(self) -> str:
        sync = getattr(self.runtime, "sync", None)
        if sync is None:
            return _("The kiosk is not connected to a server now (offline only).")
        return _("The kiosk runs its server link now; changes here apply after a restart.")

    def _result_text(self) -> str:
        if self.state == "testing":
            return _("Testing the network… this takes up to half a minute.")
        if self.state in ("passed", "failed", "saved", "not_saved"):
            return self.message
        return ""

    def connect_signals(self) -> None:
        self.test_button.clicked.connect(self.test_network)
        self.save_button.clicked.connect(self.save)
        self.restart_button.clicked.connect(self.restart)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("tech_home"))

    def prompt(self) -> str:
        if self.state in ("passed", "failed", "saved", "not_saved", "testing"):
            return self._result_text()
        return sentences(_("Server and network."), _("Check the address, then test the network."))

    def title(self) -> str:
        return _("Server and network")

    def states(self) -> list[str]:
        return ["default", "testing", "passed", "failed", "saved", "not_saved"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        self.url.setText(SAMPLE_URL)
        self.code.setText("ABCD-2345")
        url = breakable(SAMPLE_URL)
        self.message = {
            "passed": tr("Passed: {message}", message=tr("{url} answers (version {version}).", url=url, version="1.0")),
            "failed": tr("Failed: {message}", message=tr("{url} does not answer.", url=url)),
            "saved": tr("Saved to {path}. Restart the kiosk to use it.", path=breakable("/etc/kiosk/kiosk.toml")),
            "not_saved": tr("Not saved: setting {key}: {problem}", key="server.url", problem=_("not a web address")),
        }.get(state, "")
        self.show_state(state)

    def enter(self, **params: object) -> None:
        server = self.ctx.config.server
        self.url.setText(server.url if getattr(self.runtime, "demo_server", None) is None else "")
        self.code.setText(server.enrollment_code)
        self.message = ""
        self.show_state("default")

    # actions -----------------------------------------------------------------------------------
    def test_network(self) -> None:
        config, url = self.ctx.config, self.url.text()
        self.show_state("testing")
        if not self.run(lambda: network_check(config, url), self._tested):
            self.show_state("default")

    def _tested(self, check: Any) -> None:
        words = breakable(check.message)
        self.message = tr("Passed: {message}", message=words) if check.ok else tr("Failed: {message}", message=words)
        self.show_state("passed" if check.ok else "failed", speak=True)

    def save(self) -> None:
        runtime, url, code = self.runtime, self.url.text(), self.code.text()
        if runtime is None:
            return
        self.run(lambda: save_server(runtime, url, code), self._saved, self._not_saved)

    def _saved(self, outcome: tuple[Any, Any]) -> None:
        _config, path = outcome
        self.message = tr("Saved to {path}. Restart the kiosk to use it.", path=breakable(str(path)))
        self.show_state("saved", speak=True)

    def _not_saved(self, exc: BaseException) -> None:
        if isinstance(exc, ConfigError):
            self.message = tr("Not saved: setting {key}: {problem}", key=exc.key, problem=exc.problem)
        else:
            log.error("saving the server settings failed: %s", type(exc).__name__)
            self.message = tr("Not saved: {problem}", problem=type(exc).__name__)
        self.show_state("not_saved", speak=True)

    def restart(self) -> None:
        mode = tech_mode(self)
        if mode is not None:
            mode.allow_exit(RESTART_EXIT_CODE)
            self.ctx.request_exit()
