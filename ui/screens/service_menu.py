"""Technician service menu (long press on the clock): the only way out of the kiosk."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.i18n import _
from ui.screens import register_screen
from ui.screens.base import Screen


@register_screen
class ServiceMenuScreen(Screen):
    name = "service_menu"
    starts_session = False

    def build(self) -> None:
        layout = self.column()
        self.heading = self.label("serviceMenuHeading", "title")
        self.body = self.label("serviceMenuBody", "body")
        self.exit_button = self.button("serviceMenuExit")
        self.back_button = self.button("serviceMenuBack", "secondary")
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.counter_button = self.button("serviceMenuCanteenCounter", "secondary")  # staff mode until #8
        layout.addWidget(self.counter_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(_("Technician menu"))
        self.body.setText(_("For technicians only. Residents, please touch Back to home."))
        self.exit_button.setText(_("Exit the kiosk"))
        self.exit_button.setAccessibleName(_("Exit the kiosk"))
        self.back_button.setText(_("Back to home"))
        self.back_button.setAccessibleName(_("Back to home"))
        self.counter_button.setText(_("Canteen counter"))
        self.counter_button.setAccessibleName(_("Canteen counter"))

    def connect_signals(self) -> None:
        self.exit_button.clicked.connect(self.ctx.request_exit)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("home"))
        self.counter_button.clicked.connect(lambda: self.ctx.navigate("canteen_counter"))

    def prompt(self) -> str:
        return _("Technician menu. Residents, please touch Back to home.")

    def title(self) -> str:
        return _("Technician menu")
