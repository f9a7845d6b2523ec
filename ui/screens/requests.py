"""Requests (报事报修): file a new report, see my requests, or check a receipt's QR."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.i18n import N_, _, sentences
from ui.screens import register_screen
from ui.widgets.requests_parts import IconTile, RequestsScreen, text_label

CHOICES = (
    ("new", "request_new", N_("File a new report"), N_("A repair, a hazard or a problem: a few taps")),
    ("mine", "request_mine", N_("My requests"), N_("See how your reports are going, and rate them")),
    ("check", "request_receipt", N_("Check a receipt"), N_("Show the QR code on a receipt: anyone can")),
)


@register_screen
class RequestsMenuScreen(RequestsScreen):
    name = "requests"

    def build(self) -> None:
        layout = self.column()
        self.heading = self.label("requestsHeading", "title")
        self.intro = text_label("requestsIntro")
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        grid = QGridLayout()
        grid.setSpacing(self.ctx.tokens.gap * 2)
        self.tiles: dict[str, IconTile] = {}
        self.descriptions = {}
        for index, (key, _icon, _name, _desc) in enumerate(CHOICES):
            tile = IconTile(f"requestsChoice_{key}", 96)
            self.tiles[key] = tile
            grid.addWidget(tile, 0, index)
            grid.setColumnStretch(index, 1)
            desc = text_label(f"requestsChoiceText_{key}", "muted")
            self.descriptions[key] = desc
            grid.addWidget(desc, 1, index)
        grid.setRowStretch(0, 1)
        layout.addLayout(grid, 1)

    def retranslate(self) -> None:
        self.heading.setText(_("Requests and repairs"))
        self.intro.setText(_("Tell us what is wrong. We will follow it up and tell you how it goes."))
        colour = self.ctx.tokens.palette.on_tile
        for key, icon_name, name, desc in CHOICES:
            self.tiles[key].set_content(icon_name, colour, _(name), sentences(_(name), _(desc)))
            self.descriptions[key].setText(_(desc))

    def connect_signals(self) -> None:
        self.tiles["new"].clicked.connect(self.file_new)
        self.tiles["mine"].clicked.connect(self.my_requests)
        self.tiles["check"].clicked.connect(lambda: self.ctx.navigate("requests_check"))

    def prompt(self) -> str:
        return sentences(
            _("Requests and repairs."),
            _("Touch File a new report, My requests, or Check a receipt."),
        )

    def title(self) -> str:
        return _("Requests and repairs")

    def file_new(self) -> None:
        """A resident's report counts for them (points for confirmed hazards); guests may file too."""
        if self.ctx.session.resident is not None:
            self.ctx.navigate("requests_category", new=True)
        else:
            self.ctx.navigate("identify", purpose="requests", next="requests_category", allow_guest=True)

    def my_requests(self) -> None:
        if self.ctx.session.resident is not None:
            self.ctx.navigate("requests_mine")
        else:
            self.ctx.navigate("identify", purpose="requests", next="requests_mine", allow_guest=False)
