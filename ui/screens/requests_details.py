"""File a report, step 3: tap what is wrong; optional words, photo and voice note; urgency."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, sample_flow
from ui.widgets.requests_timeline import sample_words
from ui.widgets.requests_parts import (
    URGENCY_NAMES, ChoicePager, RequestsScreen, WrapButton, display_name, seconds_text, set_texts, text_label,
)

SAMPLE_CATEGORY = "safety_hazard"
SAMPLE_PLACE = "C-GX-B3"


@register_screen
class RequestsDetailsScreen(RequestsScreen):
    name = "requests_details"

    def build(self) -> None:
        self.flow: Flow | None = None
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsDetailsHeading", "heading")
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.phrases = ChoicePager("requestsPhrase", 2, 3, gap)
        row.addWidget(self.phrases, 3)
        extras = QVBoxLayout()
        extras.setSpacing(gap)
        self.text_button = WrapButton("requestsDetailsText")
        self.photo_button = WrapButton("requestsDetailsPhoto")
        self.voice_button = WrapButton("requestsDetailsVoice")
        for btn in (self.text_button, self.photo_button, self.voice_button):
            extras.addWidget(btn)
        row.addLayout(extras, 2)
        layout.addLayout(row, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(gap)
        self.urgency_label = text_label("requestsDetailsUrgencyLabel")
        self.urgency_label.setWordWrap(False)
        self.urgency_buttons = {u: WrapButton(f"requestsUrgency_{u}") for u in URGENCY_NAMES}
        self.next_button = self.button("requestsDetailsNext")
        bottom.addWidget(self.urgency_label)
        for btn in self.urgency_buttons.values():
            bottom.addWidget(btn, 1)
        bottom.addSpacing(gap)
        bottom.addWidget(self.next_button, 1)
        layout.addLayout(bottom)

    def retranslate(self) -> None:
        flow = self.flow
        draft = flow.draft if flow is not None else None
        name = flow.category_name() if flow is not None else ""
        place = flow.place_text() if flow is not None else ""
        self.heading.setText(tr("{category}: {place}", category=name, place=place) if place else name)
        self.phrases.selected = set(draft.phrases) if draft is not None else set()
        self.phrases.set_items([(p.code, display_name(p)) for p in (flow.phrases() if flow else [])],
                               self.phrases.page)
        has_text = bool(draft and draft.text.strip())
        self.text_button.set_text(_("Words added: change") if has_text else _("Type a few words"))
        self.photo_button.set_text(_("Photo added: change") if draft and draft.photo_jpeg else _("Take a photo"))
        if draft is not None and draft.voice_note:
            self.voice_button.set_text(tr("Voice note {length}: change", length=seconds_text(draft.voice_note_s or 0)))
        else:
            self.voice_button.set_text(_("Record a voice note"))
        self.urgency_label.setText(_("How urgent?"))
        for urgency, btn in self.urgency_buttons.items():
            btn.set_text(_(URGENCY_NAMES[urgency]), tr("Urgency: {urgency}", urgency=_(URGENCY_NAMES[urgency])))
            btn.set_selected(draft is not None and draft.urgency == urgency)
        set_texts(self.next_button, _("Next"))

    def connect_signals(self) -> None:
        self.phrases.chosen.connect(self.toggle_phrase)
        self.text_button.clicked.connect(lambda: self._open("requests_text"))
        self.photo_button.clicked.connect(lambda: self._open("requests_photo"))
        self.voice_button.clicked.connect(lambda: self._open("requests_voice"))
        for urgency, btn in self.urgency_buttons.items():
            btn.clicked.connect(lambda _c=False, u=urgency: self.set_urgency(u))
        self.next_button.clicked.connect(self.next)

    def prompt(self) -> str:
        return sentences(
            _("What is wrong? Touch the sentences that fit. You can touch more than one."),
            _("You can also type words, take a photo or record a voice note."),
            _("Then choose how urgent it is and touch Next."),
        )

    def title(self) -> str:
        return _("What is wrong?")

    def states(self) -> list[str]:
        return ["default", "with_media"]

    def set_state(self, state: str) -> None:
        if state == "with_media" or self.flow is None:
            self.flow = sample_flow(SAMPLE_CATEGORY, SAMPLE_PLACE, with_media=state == "with_media")
            self.flow.draft.urgency = "urgent" if state == "with_media" else "normal"
            if state == "with_media":
                self.flow.draft.text = sample_words()
        super().set_state(state)

    def reset_personal(self) -> None:
        self.flow = None
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            if flow is not self.flow:
                self.phrases.page = 0
            self.flow = flow
        if self.flow is None:
            self.set_state("default")
        else:
            super().set_state("default")

    # actions -----------------------------------------------------------------------------------
    def toggle_phrase(self, code: str) -> None:
        if self.flow is None:
            return
        phrases = self.flow.draft.phrases
        if code in phrases:
            phrases.remove(code)
        else:
            phrases.append(code)
        self.retranslate()

    def set_urgency(self, urgency: str) -> None:
        if self.flow is not None:
            self.flow.draft.urgency = urgency
            self.retranslate()

    def _open(self, screen: str) -> None:
        if self.flow is not None:
            self.ctx.navigate(screen, flow=self.flow)

    def next(self) -> None:
        if self.flow is not None:
            self.ctx.navigate("requests_confirm", flow=self.flow)
