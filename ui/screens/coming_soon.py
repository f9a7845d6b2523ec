"""Service screens not built yet: a calm "coming soon" state with a way home, never a crash."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.i18n import N_, _, tr
from ui.screens import register_screen
from ui.screens.base import Screen


class ComingSoonScreen(Screen):
    service_title = ""

    def build(self) -> None:
        layout = self.column()
        layout.addStretch(1)
        self.heading = self.label("comingSoonHeading", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = self.label("comingSoonBody", "body")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.home_button = self.button("comingSoonHome")
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def retranslate(self) -> None:
        self.heading.setText(_(self.service_title))
        self.body.setText(_("This service is coming soon. Staff at the help desk can help you today."))
        self.home_button.setText(_("Back to home"))
        self.home_button.setAccessibleName(_("Back to home"))

    def connect_signals(self) -> None:
        self.home_button.clicked.connect(lambda: self.ctx.navigate("home"))

    def prompt(self) -> str:
        return tr(
            "{service} is coming soon. Staff at the help desk can help you today. "
            "Touch Back to home to return.",
            service=_(self.service_title),
        )

    def title(self) -> str:
        return _(self.service_title)


def _coming_soon(service: str, title: str) -> type[ComingSoonScreen]:
    cls = type(f"{service.title().replace('_', '')}ComingSoon", (ComingSoonScreen,), {"name": service, "service_title": title})
    return register_screen(cls)  # type: ignore[return-value]


for _service, _title in (
    ("health", N_("Health check")),
    ("requests", N_("Requests")),
    ("canteen", N_("Canteen")),
    ("points", N_("My points")),
    ("call_staff", N_("Call staff")),
):
    _coming_soon(_service, _title)
