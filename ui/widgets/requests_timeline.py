"""A request's timeline on screen and in words, the reasons a resident can tap, and sample requests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, current_language, sentences, tr, translator
from ui.widgets.requests_parts import status_name, text_label, when_text

SHOWN_LINES = 4  # what fits at 1.5x text size; more steps: the newest, and how many came before

# Why a resident is not satisfied (low rating) or reopens; sent to staff in Chinese.
REASONS = (
    ("not_fixed", N_("The problem is not fixed")),
    ("came_back", N_("The problem came back")),
    ("too_slow", N_("It took too long")),
    ("attitude", N_("Staff were not polite")),
    ("other", N_("Something else")),
)


def reason_text_for_staff(code: str) -> str:
    """The reason in Chinese, as staff read it on the server."""
    msgid = dict(REASONS).get(code, code)
    return translator.gettext(msgid, "zh_CN")


NOTE_CHARS = 24  # a step's note is cut in the list; the result view and Read aloud give all of it


def event_line(event: Any) -> str:
    line = f"{when_text(event.at)}  {status_name(event.status)}"
    if not event.note:
        return line
    note = event.note if len(event.note) <= NOTE_CHARS else event.note[:NOTE_CHARS].rstrip() + "…"
    return f"{line}：{note}" if current_language() == "zh_CN" else f"{line}: {note}"


class TimelineView(QWidget):
    """At most SHOWN_LINES lines: every step, or the newest ones after "n earlier steps"; no scrolling."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.earlier = text_label(f"{object_name}_earlier", "muted")
        layout.addWidget(self.earlier)
        self.lines: list[QLabel] = []
        for index in range(SHOWN_LINES):
            label = text_label(f"{object_name}_{index}")
            self.lines.append(label)
            layout.addWidget(label)
        layout.addStretch(1)

    def set_events(self, events: Sequence[Any]) -> None:
        events = list(events)
        shown = events if len(events) <= SHOWN_LINES else events[-(SHOWN_LINES - 1):]
        hidden = len(events) - len(shown)
        self.earlier.setText(tr("{count} earlier steps (touch Read aloud to hear all)", count=hidden))
        self.earlier.setVisible(hidden > 0)
        for index, label in enumerate(self.lines):
            if index < len(shown):
                label.setText(event_line(shown[index]))
                label.setVisible(True)
            else:
                label.setVisible(False)


def timeline_words(events: Sequence[Any]) -> str:
    """Every step in sentences, for reading aloud."""
    parts = []
    for event in events:
        said = tr("{when}: {status}.", when=when_text(event.at), status=status_name(event.status))
        parts.append(sentences(said, event.note) if event.note else said)
    return sentences(*parts)


# -- sample requests (screenshots and the audit; no database) -------------------------------------
SAMPLE_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def _sample_note() -> str:
    return "楼道里的电线已经重新布好，充电桩移到了车棚。" if current_language() == "zh_CN" else \
        "The stairwell wiring is replaced and the charger moved to the bike shed."


def sample_views() -> list[Any]:
    from kiosk.requests.follow import POINTS_REASONS, RequestView, TimelineEvent

    note = _sample_note()
    points_key = POINTS_REASONS["safety_hazard_confirmed"]

    t0 = SAMPLE_NOW - timedelta(days=2)
    resolved = RequestView(
        tracking_no="1A2B3C4D-261121-0007K", category="safety_hazard", place_text="", status="resolved",
        created_at=t0,
        events=(TimelineEvent("submitted", t0, "", "resident"),
                TimelineEvent("accepted", t0 + timedelta(minutes=40), "", "staff"),
                TimelineEvent("dispatched", t0 + timedelta(hours=2), "", "staff"),
                TimelineEvent("in_progress", t0 + timedelta(hours=20), "", "staff"),
                TimelineEvent("resolved", t0 + timedelta(hours=26), note, "staff")),
        handler_note=note, result_photo=None, can_rate=True, can_reopen=True, rating=None,
        points_awarded=20, points_reason=tr(points_key, points=20), pending_sync=False,
    )
    waiting = RequestView(
        tracking_no="1A2B3C4D-261122-0002X", category="repair", place_text="",
        status="submitted", created_at=t0 + timedelta(days=1),
        events=(TimelineEvent("submitted", t0 + timedelta(days=1), "", "resident"),),
        handler_note="", result_photo=None, can_rate=False, can_reopen=False, rating=None, points_awarded=0,
        points_reason="", pending_sync=True,
    )
    return [waiting, resolved]


def sample_public() -> Any:
    from kiosk.requests.follow import PublicStatus

    view = sample_views()[1]
    events = tuple(type(e)(e.status, e.at, "", e.actor) for e in view.events[:3])
    return PublicStatus(view.tracking_no, view.category, "dispatched", events[-1].at, events)


def category_label(categories: Sequence[Any], code: str) -> str:
    found = next((c for c in categories if c.code == code), None)
    return found.name(current_language()) if found is not None else code


def default_categories() -> list[Any]:
    from kiosk.requests.catalog import default_categories as built_in

    return built_in()



def sample_words() -> str:
    """Words a resident might type (screenshots), in the screen's language."""
    return "三楼楼道里有人给电动车充电，电线拖在地上。" if current_language() == "zh_CN" else \
        "Someone charges an e-bike on the third floor; the cable lies on the floor."
