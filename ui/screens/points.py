"""My points: the balance in large figures, history in plain words, family, how to earn, leaderboard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.i18n import N_, _, current_language, sentences, tr
from ui.screens import register_screen
from ui.widgets import points_samples as samples
from ui.widgets.canteen_parts import (
    ServiceScreen, choice_button, date_text, full_stop, set_flag, set_texts, spoken, text_label,
)

SECTIONS = {
    "history": N_("points_ui.section.history"), "family": N_("points_ui.section.family"),
    "earn": N_("points_ui.section.earn"), "leaderboard": N_("points_ui.section.leaderboard"),
}
MAX_ROWS = 6
# Rows per page by font scale: history rows take two lines, the others one.
PAGE_ROWS = {"history": {1.0: 4, 1.25: 3, 1.5: 2}, "other": {1.0: 6, 1.25: 5, 1.5: 4}}


@register_screen
class PointsScreen(ServiceScreen):
    name = "points"
    purpose = "points"

    def build(self) -> None:
        self.balance: int | None = None
        self.data: dict[str, list[Any]] = {s: [] for s in SECTIONS}
        self.opted_in = False
        self.section = "history"
        self.page = 0
        self.live = False
        gap = self.ctx.tokens.gap
        layout = self.column()
        layout.setSpacing(self.ctx.tokens.px(8))
        self.balance_label = self.label("pointsBalance", "title")
        layout.addWidget(self.balance_label)
        choices = QHBoxLayout()
        choices.setSpacing(gap)
        self.section_buttons = {s: choice_button(f"pointsSection_{s}") for s in SECTIONS}
        for btn in self.section_buttons.values():
            choices.addWidget(btn)
        choices.addStretch(1)
        layout.addLayout(choices)
        self.note = text_label("pointsNote")
        layout.addWidget(self.note)
        self.rows = []
        for i in range(MAX_ROWS):
            row = QHBoxLayout()
            row.setSpacing(gap)
            amount = self.label(f"pointsRow{i}Amount", "body", wrap=False)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(self.ctx.tokens.px(150))
            text = text_label(f"pointsRow{i}Text")
            row.addWidget(amount)
            row.addWidget(text, 1)
            layout.addLayout(row)
            self.rows.append((amount, text))
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.setSpacing(gap)
        self.checkin_button = self.button("pointsCheckIn")
        self.optin_button = self.button("pointsOptIn", "secondary")
        self.earlier_button = choice_button("pointsEarlier")
        self.more_button = choice_button("pointsMore")
        for btn in (self.checkin_button, self.optin_button, self.earlier_button, self.more_button):
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            bottom.addWidget(btn)
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def connect_signals(self) -> None:
        for section, btn in self.section_buttons.items():
            btn.clicked.connect(lambda _c=False, s=section: self.choose(s))
        self.checkin_button.clicked.connect(lambda: self.ctx.navigate("points_checkin"))
        self.optin_button.clicked.connect(self.toggle_opt_in)
        self.earlier_button.clicked.connect(lambda: self._turn(-1))
        self.more_button.clicked.connect(lambda: self._turn(1))

    def page_size(self) -> int:
        table = PAGE_ROWS["history" if self.section == "history" else "other"]
        rows = table.get(self.ctx.font_scale, min(table.values()))
        note_lines = self._note_text().count("\n") + 1 if self.state != "loading" and self._note_text() else 0
        return max(1, rows - 2 * note_lines)

    def shown(self) -> list[Any]:
        start = self.page * self.page_size()
        return self.data[self.section][start:start + self.page_size()]

    # rows in words ----------------------------------------------------------------------------
    def row_texts(self, item: Any) -> tuple[str, str]:
        """(amount, words) of one row of the current section."""
        if self.section == "history":
            when = item.when.date() if isinstance(item.when, datetime) else item.when
            notes = [item.where, date_text(when)]
            if getattr(item, "pending", False):
                notes.append(_("waiting to be confirmed"))
            if getattr(item, "reversed", False):
                notes.append(_("given back later"))
            return f"{item.delta:+d}", item.what + "\n" + _("canteen_ui.list_glue").join(n for n in notes if n)
        if self.section == "family":
            person, balance = item
            return ("—" if balance is None else str(balance)), person.masked_name or _("Family member")
        if self.section == "earn":
            text = item.text_en if current_language() == "en" and item.text_en else item.text_zh
            return (f"+{item.points}" if item.points else ""), text
        name, points = item
        return str(points), name

    def spoken_row(self, item: Any) -> str:
        amount, words = self.row_texts(item)
        words = words.replace("\n", _("canteen_ui.list_glue"))
        return tr("{words}: {amount} points", words=words, amount=amount)

    # texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.balance_label.setText(self._balance_text())
        for section, btn in self.section_buttons.items():
            set_texts(btn, _(SECTIONS[section]))
            set_flag(btn, "selected", section == self.section)
        note = self._note_text()
        self.note.setText(note)
        # never hidden (a wrapped label shown again is first measured too narrow): no height when empty
        self.note.setMaximumHeight(16_777_215 if note else 0)
        shown = self.shown() if self.state == "default" else []
        for index, (amount, text) in enumerate(self.rows):
            visible = index < len(shown)
            amount.setVisible(visible)
            text.setVisible(visible)
            if visible:
                a, words = self.row_texts(shown[index])
                amount.setText(a)
                text.setText(words)
                set_flag(amount, "tone", "minus" if a.startswith("-") else "plus")
        set_texts(self.checkin_button, _("Scan a check-in code"), _("Scan an activity check-in code"))
        set_texts(self.optin_button, _("Hide me from the board") if self.opted_in else _("Show me on the board"),
                  _("Hide me from the building leaderboard") if self.opted_in
                  else _("Show me on the building leaderboard"))
        set_texts(self.earlier_button, _("Earlier"))
        set_texts(self.more_button, _("More"))
        self.optin_button.setVisible(self.section == "leaderboard" and self.state == "default")
        self.earlier_button.setVisible(self.state == "default" and self.page > 0)
        self.more_button.setVisible(
            self.state == "default" and (self.page + 1) * self.page_size() < len(self.data[self.section]))

    def _balance_text(self) -> str:
        if self.state == "loading":
            return _("Loading your points…")
        if self.state in ("error", "not_ready"):
            return _("My points")
        if self.balance is None:
            return _("Points: shown when online")
        return tr("Your points: {points} ({yuan} yuan)", points=self.balance, yuan=f"{self.balance / 10:.1f}")

    def _note_text(self) -> str:
        if self.state == "error":
            return _("Your points could not be read. Please ask a staff member.")
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment.")
        if self.state == "loading":
            return ""
        lines = []
        if self.section == "leaderboard" and not self.opted_in:
            lines.append(_("The leaderboard shows neighbours in your building who chose to join. Names are "
                           "partly hidden. You are not on it."))
        if not self.data[self.section]:
            lines.append(_(EMPTY[self.section]))
        return "\n".join(lines)

    def prompt(self) -> str:
        if self.state in ("loading", "error", "not_ready"):
            return self._note_text() or self._balance_text()
        rows = spoken([self.spoken_row(item) for item in self.shown()])
        spend = _("10 points are worth 1 yuan. You can spend them in every community of the sub-district.") \
            if self.section == "history" and self.balance is not None else ""
        return sentences(full_stop(self._balance_text()), spend, spoken(self._note_text().split("\n")), rows,
                         _("You can choose what to see with the buttons."))

    def title(self) -> str:
        return _("My points")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "family", "earn", "leaderboard", "leaderboard_off", "empty", "offline", "loading",
                "error", "not_ready"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self.page = 0
            self.section = {"family": "family", "earn": "earn", "leaderboard": "leaderboard",
                            "leaderboard_off": "leaderboard"}.get(state, "history")
            self.opted_in = state != "leaderboard_off"
            self.balance = None if state == "offline" else 1250
            self.data = samples.sample_sections(self.today(), opted_in=self.opted_in)
            if state == "empty":
                self.data = {s: [] for s in SECTIONS}
            state = state if state in ("loading", "error", "not_ready") else "default"
        super().set_state(state)

    # navigation and actions --------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if not self.require_resident():
            return
        self.live = True
        self.page = 0
        if params:  # a fresh visit (not back from the check-in screen) starts on the history
            self.section = "history"
        self.set_state("loading")
        self._load()

    def _load(self) -> None:
        runtime, resident = self.ctx.runtime, self.resident
        if runtime is None or runtime.database is None:
            self.set_state("error")
            return
        rid = resident.resident_id

        def load() -> tuple[int | None, dict[str, list[Any]], bool]:
            from kiosk.points import summary

            history = summary.history(runtime, rid)  # fetches the statement first when online
            with runtime.database.session() as session:
                building = summary.building_of(session, rid)
                data = {
                    "history": history,
                    "family": [f for f in summary.family_view(session, resident) if f[0].resident_id != rid],
                    "earn": summary.earning_rules(session),
                    "leaderboard": summary.leaderboard(session, building) if building else [],
                }
                return summary.balance(session, rid), data, summary.leaderboard_opt_in(session, rid)

        self.run(load, self._loaded)

    def _loaded(self, result: tuple[int | None, dict[str, list[Any]], bool]) -> None:
        self.balance, self.data, self.opted_in = result
        self.show_state("default")

    def choose(self, section: str) -> None:
        self.section, self.page = section, 0
        self.show_state("default" if self.live else section)

    def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.show_state("default")

    def toggle_opt_in(self) -> None:
        runtime, resident, wanted = self.ctx.runtime, self.resident, not self.opted_in
        if not self.live or runtime is None or resident is None:
            return

        def change() -> None:
            from kiosk.points.summary import set_leaderboard_opt_in

            set_leaderboard_opt_in(runtime, resident.resident_id, wanted)

        self.run(change, lambda _r: self._load())

    def reset_personal(self) -> None:
        self.live = False
        self.balance, self.data, self.opted_in = None, {s: [] for s in SECTIONS}, False
        super().reset_personal()


EMPTY = {
    "history": N_("points_ui.empty.history"), "family": N_("points_ui.empty.family"),
    "earn": N_("points_ui.empty.earn"), "leaderboard": N_("points_ui.empty.leaderboard"),
}
