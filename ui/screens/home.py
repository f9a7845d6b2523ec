"""Home: a greeting and one large tile per service."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.i18n import N_, _
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.widgets.tile import Tile

SERVICES = (
    ("health", N_("Health check"), N_("Blood pressure, oxygen, weight")),
    ("requests", N_("Requests"), N_("Report a repair or a problem")),
    ("canteen", N_("Canteen"), N_("Book a meal with points")),
    ("points", N_("My points"), N_("See and use your points")),
    ("call_staff", N_("Call staff"), N_("Ask a staff member for help")),
)


@register_screen
class HomeScreen(Screen):
    name = "home"
    starts_session = False

    def build(self) -> None:
        layout = self.column()
        self.greeting = self.label("homeGreeting", "heading")
        self.hint = self.label("homeHint", "body")
        layout.addWidget(self.greeting)
        layout.addWidget(self.hint)
        grid = QGridLayout()
        gap = self.ctx.tokens.gap
        grid.setSpacing(gap)
        self.tiles: list[Tile] = []
        for index, (service, _name, _desc) in enumerate(SERVICES):
            tile = Tile(service, self.ctx.tokens)
            self.tiles.append(tile)
            grid.addWidget(tile, index // 3, index % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        for row in range(2):
            grid.setRowStretch(row, 1)
        layout.addLayout(grid, 1)

    def retranslate(self) -> None:
        self.greeting.setText(_("Welcome! How can we help you today?"))
        self.hint.setText(_("Touch a large button below. Every screen is read aloud."))
        for tile, (_service, name, desc) in zip(self.tiles, SERVICES):
            tile.set_texts(_(name), _(desc))

    def connect_signals(self) -> None:
        for tile in self.tiles:
            tile.clicked.connect(lambda _checked=False, s=tile.service: self.ctx.navigate(s))

    def prompt(self) -> str:
        return _(
            "Welcome. You can check your health, report a problem, book a meal, "
            "see your points, or call a staff member. Touch a large button."
        )

    def title(self) -> str:
        return _("Home")
