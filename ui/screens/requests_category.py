"""File a report, step 1: what kind of problem (category tiles with icons, from the server's list)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from kiosk.i18n import _, current_language, sentences, tr
from ui.icons import ICON_DIR
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, load_flow, sample_flow
from ui.widgets.requests_parts import IconTile, RequestsScreen, display_name, set_texts, text_label

log = logging.getLogger(__name__)

COLUMNS, ROWS = 5, 2
FALLBACK_ICON = "requests"


@register_screen
class RequestsCategoryScreen(RequestsScreen):
    name = "requests_category"

    def build(self) -> None:
        self.flow: Flow | None = None
        self.page = 0
        layout = self.column()
        self.heading = self.label("requestsCategoryHeading", "title")
        self.hint = text_label("requestsCategoryHint")
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        grid = QGridLayout()
        grid.setSpacing(self.ctx.tokens.gap)
        self.tiles = [IconTile(f"requestsCategory_{i}", 72) for i in range(COLUMNS * ROWS)]
        for index, tile in enumerate(self.tiles):
            grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid, 1)
        paging = QHBoxLayout()
        paging.setSpacing(self.ctx.tokens.gap)
        self.previous_button = self.button("requestsCategoryPrevious", "secondary")
        self.next_button = self.button("requestsCategoryNext", "secondary")
        paging.addWidget(self.previous_button)
        paging.addStretch(1)
        paging.addWidget(self.next_button)
        layout.addLayout(paging)

    def retranslate(self) -> None:
        self.heading.setText(_("What is the problem?"))
        if self.state == "loading":
            self.hint.setText(_("One moment, please…"))
        else:
            self.hint.setText(_("Touch the kind of problem. You can add details next."))
        set_texts(self.previous_button, _("Previous page"))
        set_texts(self.next_button, _("Next page"))
        self._fill()

    def connect_signals(self) -> None:
        for index, tile in enumerate(self.tiles):
            tile.clicked.connect(lambda _c=False, i=index: self.choose(i))
        self.previous_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))

    def prompt(self) -> str:
        if self.state == "loading":
            return _("One moment, please…")
        glue = "、" if current_language() == "zh_CN" else ", "
        names = glue.join(display_name(c) for c in self._page_items()) if self.flow else ""
        return sentences(_("What is the problem? Touch the kind of problem."),
                         tr("The choices are: {names}.", names=names) if names else "")

    def title(self) -> str:
        return _("What is the problem?")

    def states(self) -> list[str]:
        return ["default", "loading"]

    def set_state(self, state: str) -> None:
        if state == "default" and self.flow is None:
            self.flow = sample_flow()
        super().set_state(state)

    def reset_personal(self) -> None:
        self.flow = None
        self.page = 0
        super().reset_personal()

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            self.flow = flow
        elif params.get("new") or params.get("identified") or params.get("guest") or self.flow is None:
            self.start_new()
            return
        super().set_state("default")

    def start_new(self) -> None:
        """A new report: read the current catalog and map off the Qt thread."""
        self.flow, self.page = None, 0
        resident = self.ctx.session.resident
        resident_id = resident.resident_id if resident is not None else None
        database = self.database
        if database is None:  # screenshots, or the kiosk is still starting: the built-in list
            self.flow = sample_flow()
            self.flow.resident_id = resident_id
            super().set_state("default")
            return
        super().set_state("loading")
        self.run(lambda: load_flow(database, resident_id), self._loaded, self._load_failed)

    def _loaded(self, flow: Flow) -> None:
        self.flow = flow
        self.show_state("default")

    def _load_failed(self, exc: BaseException) -> None:
        log.error("request catalog could not be read: %s", type(exc).__name__)
        self.flow = sample_flow()
        self.flow.sample = False
        self.show_state("default")

    # tiles -----------------------------------------------------------------------------------
    def _categories(self) -> list[Any]:
        return list(self.flow.categories) if self.flow is not None else []

    def _page_items(self) -> list[Any]:
        per_page = COLUMNS * ROWS
        return self._categories()[self.page * per_page:(self.page + 1) * per_page]

    def _fill(self) -> None:
        items = self._page_items() if self.state != "loading" else []
        colour = self.ctx.tokens.palette.on_tile
        for index, tile in enumerate(self.tiles):
            if index < len(items):
                category = items[index]
                icon_name = category.icon if (ICON_DIR / f"{category.icon}.svg").exists() else FALLBACK_ICON
                tile.set_content(icon_name, colour, display_name(category))
                tile.setVisible(True)
            else:
                tile.setVisible(False)
        pages = max(1, -(-len(self._categories()) // (COLUMNS * ROWS)))
        self.previous_button.setVisible(pages > 1)
        self.next_button.setVisible(pages > 1)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < pages - 1)

    def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.show_state("default")

    def choose(self, index: int) -> None:
        items = self._page_items()
        if self.flow is None or index >= len(items):
            return
        code = items[index].code
        if self.flow.draft.category != code:
            self.flow.draft.category = code
            self.flow.draft.phrases = []
        self.ctx.navigate("requests_place", flow=self.flow)
