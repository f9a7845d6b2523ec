"""Shared parts of the staff help-desk screens: who is signed in, for whom, and sample data."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QDateTime, QSize
from PySide6.QtWidgets import QPushButton

from kiosk.i18n import N_, _, current_language, tr
from kiosk.residents import Resident
from kiosk.staff.auth import Operator
from ui.tech_parts import TECH_GAP_PX, TechScreen, set_texts
from ui.theme import TARGET_MIN_PX, Tokens



def sample_words(chinese: str, pinyin: str) -> str:
    """A sample masked name in the script of the language shown (screenshots and the audit)."""
    return pinyin if current_language() == "en" else chinese


def sample_operator() -> Operator:
    return Operator("S-0001", "staff", sample_words("周*燕", "Zhou *yan"))


def sample_resident() -> Resident:
    return Resident("R-000001", sample_words("王*国", "Wang *guo"), 1953, "F-0001", "C-01")


def sample_family() -> tuple[Resident, ...]:
    return sample_resident(), Resident("R-000002", sample_words("李*英", "Li *ying"), 1955, "F-0001", "C-01")


def sample_staff() -> list[tuple[str, str]]:
    names = (("周*燕", "Zhou *yan"), ("陈*华", "Chen *hua"), ("刘*", "Liu *"), ("杨*明", "Yang *ming"))
    return [(f"S-{n:04d}", sample_words(*pair)) for n, pair in zip((1, 3, 4, 5), names)]


# Outbox kinds in words for the sync view (the code itself when a later issue adds a kind).
KIND_NAMES = {
    "points.spend": N_("Points spent"), "reserve.release": N_("Points reserve returned"),
    "request.file": N_("Request filed"), "request.media": N_("Request photo or voice"),
    "health.observations": N_("Health check"), "health.consent": N_("Health data consent"),
    "request.rate": N_("Request rating"), "request.reopen": N_("Request reopened"),
    "canteen.book": N_("Meal booking"), "canteen.redeem": N_("Meal served"),
    "canteen.seats_release": N_("Canteen seats returned"), "canteen.counter_release": N_("Canteen counter freed"),
    "points.check_in": N_("Activity check-in"), "points.leaderboard_opt_in": N_("Leaderboard choice"),
    "help.call": N_("Help call"), "help.cancel": N_("Help call closed"), "points.award": N_("Points award"),
}


def key_size(tokens: Tokens) -> QSize:
    """A key of the staff number pads: the 80 px target at 1.0, growing less than the text."""
    return QSize(max(TARGET_MIN_PX, tokens.px(130)), max(TARGET_MIN_PX, tokens.px(74)))


def kind_words(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def resident_words(resident: Any) -> str:
    """"王*国 (born 1953)": the masked name, never more (the id when the name is not pulled yet)."""
    name = getattr(resident, "masked_name", "") or getattr(resident, "resident_id", "")
    year = getattr(resident, "birth_year", None)
    return tr("{name} (born {year})", name=name, year=year) if year else name


def clock_words(when: datetime) -> str:
    """A stored UTC time as the kiosk's local "HH:mm"."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return QDateTime.fromSecsSinceEpoch(int(when.timestamp())).toString("HH:mm")


def minutes_ago(when: datetime, now: datetime | None = None) -> int:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0, int((now - when).total_seconds() // 60))


class StaffScreen(TechScreen):
    """A help-desk screen: the technician screens' denser style, no resident session of its own."""

    @property
    def gap(self) -> int:
        return TECH_GAP_PX  # the 16 px minimum at every text size: staff screens are dense (issue #8)

    def operator(self) -> Any:
        """The signed-in staff member (a sample one while screenshots render without a sign-in)."""
        return self.ctx.session.operator or sample_operator()

    def operator_words(self) -> str:
        operator = self.operator()
        name = getattr(operator, "display_name", "") or ""
        return f"{name} ({operator.operator_id})" if name else operator.operator_id

    def resident(self) -> Any:
        return self.ctx.session.resident

    def database(self) -> Any:
        return getattr(self.runtime, "database", None)

    def back_button(self, object_name: str) -> QPushButton:
        btn = self.action(object_name, secondary=True)
        btn.clicked.connect(lambda: self.ctx.navigate("staff_home"))
        return btn

    def set_back_text(self, btn: QPushButton) -> None:
        set_texts(btn, _("Help desk"), _("Back to the help desk menu"))
