"""File a report, step 2: where (community > building > unit > room, or a public place; no typing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_parts import ChoicePager, RequestsScreen, display_name, set_flag, set_texts, text_label

LEAF_KINDS = ("room", "public")
SAMPLE_PATH = ("C-GX", "C-GX-B3")


@register_screen
class RequestsPlaceScreen(RequestsScreen):
    """``path`` holds the places chosen so far; the pager lists the children of the last one.

    Inside a community the resident picks buildings or public places (two mode buttons). A room
    or a public place ends the choice; "This place" ends it higher up (a whole building).
    """

    name = "requests_place"

    def build(self) -> None:
        self.flow: Flow | None = None
        self.path: list[Any] = []
        self.public = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsPlaceHeading", "heading")
        self.chosen = text_label("requestsPlaceChosen")
        layout.addWidget(self.heading)
        layout.addWidget(self.chosen)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.pager = ChoicePager("requestsPlaceChoice", 3, 2, gap)
        row.addWidget(self.pager, 1)
        side = QVBoxLayout()
        side.setSpacing(gap)
        self.buildings_button = self.button("requestsPlaceBuildings", "secondary")
        self.public_button = self.button("requestsPlacePublic", "secondary")
        for btn in (self.buildings_button, self.public_button):
            btn.setProperty("choice", True)
        self.here_button = self.button("requestsPlaceHere")
        self.up_button = self.button("requestsPlaceUp", "secondary")
        self.skip_button = self.button("requestsPlaceSkip", "secondary")
        for btn in (self.buildings_button, self.public_button, self.here_button, self.up_button, self.skip_button):
            side.addWidget(btn)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row, 1)
        self.empty = text_label("requestsPlaceEmpty")
        layout.addWidget(self.empty)

    def retranslate(self) -> None:
        self.heading.setText(_("Where is the problem?"))
        here = self._here()
        self.chosen.setText(tr("Chosen: {place}", place=self._path_text()) if here is not None
                            else _("Touch your community, then the building, unit and room."))
        set_texts(self.buildings_button, _("Buildings"))
        set_texts(self.public_button, _("Public places"))
        here_name = display_name(here) if here is not None else ""
        set_texts(self.here_button, tr("All of {place}", place=here_name), tr("It is here: {place}", place=self._path_text()))
        set_texts(self.up_button, _("Up one level"))
        set_texts(self.skip_button, _("Skip this step"))
        self.empty.setText(_("The map of the community is not here yet. "
                             "Please touch Skip and say the place in a voice note or in words."))
        self._fill()

    def connect_signals(self) -> None:
        self.pager.chosen.connect(self.choose)
        self.buildings_button.clicked.connect(lambda: self._set_mode(False))
        self.public_button.clicked.connect(lambda: self._set_mode(True))
        self.here_button.clicked.connect(lambda: self._finish(self._here()))
        self.up_button.clicked.connect(self.up)
        self.skip_button.clicked.connect(lambda: self._finish(None))

    def prompt(self) -> str:
        if self.state == "no_map":
            return sentences(_("Where is the problem?"), self.empty.text())
        here = self._here()
        return sentences(
            _("Where is the problem?"),
            tr("Chosen: {place}", place=self._path_text()) if here is not None else "",
            _("Touch a place in the list, or touch the button for all of it."),
        )

    def title(self) -> str:
        return _("Where is the problem?")

    def states(self) -> list[str]:
        return ["default", "building", "public", "no_map"]

    def set_state(self, state: str) -> None:
        if state in ("building", "public", "no_map") or self.flow is None:
            self.flow = sample_flow("repair")
            if state == "no_map":
                self.flow.places = []
            self._start()
            if state == "building":
                self.path = [p for p in self._walk(SAMPLE_PATH)]
            self.public = state == "public"
        super().set_state("no_map" if self.flow and not self.flow.places else state)

    def reset_personal(self) -> None:
        self.flow, self.path, self.public = None, [], False
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow) and flow is not self.flow:
            self.flow = flow
            self._start()
        while self.path and (self.path[-1].kind in LEAF_KINDS or not self.path[-1].children):
            self.path.pop()  # back from the next step: show the list the place was chosen from
        super().set_state("no_map" if self.flow is not None and not self.flow.places else "default")
        if self.flow is None:
            self.set_state("default")

    # the tree ----------------------------------------------------------------------------------
    def _start(self) -> None:
        """Begin at the top; a kiosk that serves one community starts inside it."""
        self.path, self.public = [], False
        places = self.flow.places if self.flow is not None else []
        communities = [p for p in places if p.kind == "community"]
        if len(communities) == 1:
            self.path = [communities[0]]

    def _walk(self, codes: tuple[str, ...]) -> list[Any]:
        found, options = [], self.flow.places if self.flow is not None else []
        for code in codes:
            node = next((p for p in options if p.code == code), None)
            if node is None:
                break
            found.append(node)
            options = list(node.children)
        return found

    def _here(self) -> Any | None:
        return self.path[-1] if self.path else None

    def _path_text(self) -> str:
        return " ".join(display_name(p) for p in self.path)

    def _options(self) -> list[Any]:
        here = self._here()
        options = list(here.children) if here is not None else list(self.flow.places if self.flow else [])
        if here is not None and here.kind == "community":
            options = [p for p in options if (p.kind == "public") == self.public]
        return options

    def _fill(self) -> None:
        no_map = self.state == "no_map"
        self.pager.setVisible(not no_map)
        self.empty.setVisible(no_map)
        self.pager.set_items([(p.code, display_name(p)) for p in self._options()])
        here = self._here()
        in_community = here is not None and here.kind == "community"
        for btn, public in ((self.buildings_button, False), (self.public_button, True)):
            btn.setVisible(in_community and not no_map)
            set_flag(btn, "selected", self.public == public)
        self.here_button.setVisible(here is not None and here.kind not in ("community",) and not no_map)
        self.up_button.setVisible(bool(self.path) and not no_map and not (len(self.path) == 1 and self._single()))

    def _single(self) -> bool:
        places = self.flow.places if self.flow is not None else []
        return len([p for p in places if p.kind == "community"]) == 1

    def _set_mode(self, public: bool) -> None:
        self.public = public
        self.show_state("default")

    def choose(self, code: str) -> None:
        place = next((p for p in self._options() if p.code == code), None)
        if place is None:
            return
        if place.kind in LEAF_KINDS or not place.children:
            self.path.append(place)
            self._finish(place)
            return
        self.path.append(place)
        self.show_state("default")

    def up(self) -> None:
        if self.path:
            self.path.pop()
        self.show_state("default")

    def _finish(self, place: Any | None) -> None:
        if self.flow is None:
            return
        self.flow.draft.place_code = place.code if place is not None else ""
        self.ctx.navigate("requests_details", flow=self.flow)
