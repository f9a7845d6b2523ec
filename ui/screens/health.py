"""Health cabin entry: show your QR card to keep your results, or measure as a guest (nothing kept)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.i18n import _, current_language, sentences, tr
from ui.health_style import HealthStyled, accent_colour
from ui.health_visit import sample_resident
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.widgets.vitals_picture import VitalsPicture

PICTURES = ("bp", "spo2", "temperature", "weight", "glucose")


@register_screen
class HealthScreen(HealthStyled, Screen):
    name = "health"

    def build(self) -> None:
        layout = self.column()
        self.heading = self.label("healthHeading", "title")
        self.intro = self.label("healthIntro", "body")
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        self.pictures = [VitalsPicture(f"healthPicture_{kind}") for kind in PICTURES]
        row = QHBoxLayout()
        for picture in self.pictures:
            row.addStretch(1)
            row.addWidget(picture)
        row.addStretch(1)
        layout.addLayout(row)
        grid = QGridLayout()
        grid.setSpacing(self.ctx.tokens.gap)
        self.scan_card, self.scan_button, self.scan_text = self._option("healthScan", "primary")
        self.guest_card, self.guest_button, self.guest_text = self._option("healthGuest", "secondary")
        grid.addWidget(self.scan_card, 0, 0)
        grid.addWidget(self.guest_card, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.apply_health_style()

    def _option(self, name: str, role: str):  # noqa: ANN202
        card = QFrame()
        card.setObjectName(f"{name}Card")
        card.setProperty("card", True)
        box = QVBoxLayout(card)
        gap = self.ctx.tokens.gap // 2
        box.setContentsMargins(gap, gap, gap, gap)
        box.setSpacing(gap)
        button = self.button(f"{name}Button", role)
        text = self.label(f"{name}Text", "body")
        box.addWidget(button)
        box.addWidget(text, 1)
        return card, button, text

    def on_tokens_changed(self) -> None:
        tokens = self.ctx.tokens
        size = 160 if tokens.scale <= 1.0 else 120 if tokens.scale < 1.5 else 96  # the words get the room
        for picture, kind in zip(self.pictures, PICTURES):
            picture.show_kind(kind, size, tokens.palette.text, accent_colour(tokens), "")
            picture.setAccessibleName(_("Picture of a health check device"))

    def retranslate(self) -> None:
        self.on_tokens_changed()
        self.heading.setText(_("Health check"))
        self.intro.setText(_("Blood pressure, blood oxygen, temperature, weight and blood sugar. "
                             "Free, and it takes a few minutes."))
        resident = self._resident()
        if resident is not None:
            self.scan_button.setText(tr("Continue as {name}", name=resident.masked_name or _("resident")))
        else:
            self.scan_button.setText(_("Scan your QR card"))
        self.scan_button.setAccessibleName(self.scan_button.text())
        self.scan_text.setText(_("Your results are kept for you and your community doctor."))
        self.guest_button.setText(_("Continue as guest"))
        self.guest_button.setAccessibleName(_("Continue as guest, nothing is kept"))
        self.guest_text.setText(_("Results are only shown and printed. Nothing is kept."))

    def connect_signals(self) -> None:
        self.scan_button.clicked.connect(self._scan)
        self.guest_button.clicked.connect(lambda: self.ctx.navigate("health_choose", guest=True))

    def _resident(self):  # noqa: ANN202
        if self.state == "identified":
            return sample_resident()
        return self.ctx.session.resident

    def _scan(self) -> None:
        if self.ctx.session.resident is not None:  # already identified in this session (another service)
            self.ctx.navigate("health_consent", identified=True)
            return
        self.ctx.navigate("identify", purpose="health", next="health_consent", allow_guest=True)

    def enter(self, **params: object) -> None:
        super().set_state("default")

    def states(self) -> list[str]:
        return ["default", "identified"]

    def prompt(self) -> str:
        resident = self._resident()
        first = (tr("Touch Continue as {name} to keep your results.", name=resident.masked_name or _("resident"))
                 if resident is not None else _("Touch Scan your QR card to keep your results."))
        return sentences(_("Health check."), first,
                         _("Or touch Continue as guest: your results are only shown and printed, nothing is kept."))

    def title(self) -> str:
        return _("Health check")

    def speak(self) -> None:
        self.ctx.voice.speak_prompt(self.prompt(), current_language())
