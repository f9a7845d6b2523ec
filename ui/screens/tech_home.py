"""Technician home: the menu of technician screens, restart and exit (the only way out)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QFrame, QHBoxLayout

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.tech_mode import RESTART_EXIT_CODE, tech_mode
from ui.tech_parts import TechScreen, set_texts

log = logging.getLogger(__name__)

ENTRIES = (
    ("tech_devices", N_("Devices"), N_("Drivers, ports, live state")),
    ("tech_test", N_("Device tests"), N_("Reading, print, scan, voice")),
    ("tech_camera", N_("Camera preview"), N_("Picture with decoded codes")),
    ("tech_server", N_("Server and network"), N_("Address, enrollment, test")),
    ("tech_logs", N_("Logs"), N_("Kiosk log and wire log")),
    ("tech_diagnostics", N_("Diagnostics"), N_("Export a bundle to USB")),
)


@register_screen
class TechHomeScreen(TechScreen):
    """States: default, confirm_restart, confirm_exit."""

    name = "tech_home"

    def build(self) -> None:
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("techHomeHeading", "title")
        self.who = self.text("techHomeWho", "tech")
        top.addWidget(self.heading, 1)
        top.addWidget(self.who)
        layout.addLayout(top)
        grid = self.grid()
        self.entries = []
        for index, (screen, _title, _desc) in enumerate(ENTRIES):
            btn = self.action(f"techHome_{screen}", secondary=True)
            self.entries.append(btn)
            grid.addWidget(btn, index // 2, index % 2)
        for column in range(2):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.confirm = QFrame()
        self.confirm.setObjectName("techHomeConfirm")
        confirm_row = QHBoxLayout(self.confirm)
        confirm_row.setContentsMargins(0, 0, 0, 0)
        confirm_row.setSpacing(self.gap)
        self.question = self.text("techHomeQuestion", "techStrong")
        self.yes_button = self.action("techHomeYes")
        self.no_button = self.action("techHomeNo", secondary=True)
        confirm_row.addWidget(self.question, 1)
        confirm_row.addWidget(self.yes_button)
        confirm_row.addWidget(self.no_button)
        layout.addWidget(self.confirm)
        actions = self.row()
        self.restart_button = self.action("techHomeRestart", secondary=True)
        self.exit_button = self.action("techHomeExit", secondary=True)
        self.sign_out_button = self.action("techHomeSignOut")
        actions.addWidget(self.restart_button)
        actions.addWidget(self.exit_button)
        actions.addStretch(1)
        actions.addWidget(self.sign_out_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Technician mode"))
        self.who.setText(tr("Signed in: {name}", name=self.operator_name()))
        for btn, (_screen, title, desc) in zip(self.entries, ENTRIES):
            set_texts(btn, _(title) + "\n" + _(desc), _(title))
        confirming = self.state in ("confirm_restart", "confirm_exit")
        self.confirm.setVisible(confirming)
        if self.state == "confirm_restart":
            self.question.setText(_("Restart the kiosk now? Residents see the home screen again in a moment."))
            set_texts(self.yes_button, _("Yes, restart"))
        else:
            self.question.setText(_("Exit the kiosk? The screen stays empty until it is started again."))
            set_texts(self.yes_button, _("Yes, exit"))
        set_texts(self.no_button, _("Cancel"))
        set_texts(self.restart_button, _("Restart kiosk"))
        set_texts(self.exit_button, _("Exit kiosk"))
        set_texts(self.sign_out_button, _("Sign out"), _("Sign out and go back to the home screen"))
        for btn in (self.restart_button, self.exit_button, self.sign_out_button):
            btn.setVisible(not confirming)  # the question takes their place

    def connect_signals(self) -> None:
        for btn, (screen, _title, _desc) in zip(self.entries, ENTRIES):
            btn.clicked.connect(lambda _checked=False, s=screen: self.ctx.navigate(s))
        self.restart_button.clicked.connect(lambda: self.show_state("confirm_restart", speak=True))
        self.exit_button.clicked.connect(lambda: self.show_state("confirm_exit", speak=True))
        self.no_button.clicked.connect(lambda: self.show_state("default"))
        self.yes_button.clicked.connect(self._confirmed)
        self.sign_out_button.clicked.connect(self.sign_out)

    def prompt(self) -> str:
        if self.state in ("confirm_restart", "confirm_exit"):
            return self.question.text()
        return sentences(_("Technician mode."), _("Choose what to check or change."))

    def title(self) -> str:
        return _("Technician mode")

    def states(self) -> list[str]:
        return ["default", "confirm_restart", "confirm_exit"]

    def set_state(self, state: str) -> None:
        self.show_state(state)

    def enter(self, **params: object) -> None:
        self.show_state("default")

    # actions -----------------------------------------------------------------------------------
    def sign_out(self) -> None:
        mode = tech_mode(self)
        if mode is not None:
            mode.sign_out()
        self.ctx.navigate("home")

    def _confirmed(self) -> None:
        mode = tech_mode(self)
        if mode is None:
            return
        code = RESTART_EXIT_CODE if self.state == "confirm_restart" else 0
        log.info("technician %s the kiosk", "restarts" if code else "exits")
        mode.allow_exit(code)
        self.ctx.request_exit()
