"""Sync health for staff: how many records wait, which keep failing, which the server refused; retry those."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from PySide6.QtWidgets import QVBoxLayout

from kiosk.i18n import _, sentences, tr
from kiosk.staff.sync_health import QueueItem, SyncHealth
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, clock_words, kind_words
from ui.tech_parts import clear_layout, device_words, set_texts

log = logging.getLogger(__name__)

SHOWN = 5


def _sample(empty: bool = False) -> SyncHealth:
    if empty:
        return SyncHealth(0, [], [], 0)
    at = datetime.now(timezone.utc) - timedelta(minutes=40)
    failing = [QueueItem(41, "k1", "health.observations", at, 3, "sync.offline", False)]
    dead = [QueueItem(12, "k2", "points.award", at - timedelta(hours=2), 1, "staff.resident_unknown", True),
            QueueItem(17, "k3", "canteen.book", at - timedelta(hours=1), 1, "sync.key_reused", True)]
    return SyncHealth(6, failing, dead, 2)


@register_screen
class StaffSyncScreen(StaffScreen):
    """States: default (the queue), empty (all sent), retrying, retried, failed.

    Only kinds, times, tries and error codes are shown: never a record's payload.
    """

    name = "staff_sync"

    def build(self) -> None:
        self.health = SyncHealth(0, [], [], 0)
        self.requeued = 0
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffSyncHeading", "heading")
        self.refresh_button = self.action("staffSyncRefresh", secondary=True)
        self.back = self.back_button("staffSyncBack")
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.counts = self.text("staffSyncCounts", "techStrong")
        layout.addWidget(self.counts)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(self.gap // 2)
        layout.addLayout(self.rows)
        layout.addStretch(1)
        self.status = self.text("staffSyncStatus", "techStrong")
        layout.addWidget(self.status)
        actions = self.row()
        self.retry_button = self.action("staffSyncRetry")
        self.sync_button = self.action("staffSyncNow", secondary=True)
        actions.addWidget(self.retry_button)
        actions.addWidget(self.sync_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Sync status"))
        set_texts(self.refresh_button, _("Refresh"), _("Read the queue again"))
        self.set_back_text(self.back)
        h = self.health
        self.counts.setText(tr("Waiting: {pending}. Failing: {failing}. Refused by the server: {dead}.",
                               pending=h.pending, failing=len(h.failing), dead=h.dead_total))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        set_texts(self.retry_button, _("Send refused items again"))
        self.retry_button.setEnabled(h.dead_total > 0 and self.state != "retrying")
        set_texts(self.sync_button, _("Sync now"), _("Try to send and fetch now"))
        self._fill()

    def _status_text(self) -> str:
        if self.state == "empty":
            return _("Everything has been sent. Nothing is waiting.")
        if self.state == "retrying":
            return _("Putting the refused items back in the queue…")
        if self.state == "retried":
            return tr("{count} items are back in the queue and will be sent now.", count=self.requeued)
        if self.state == "failed":
            return _("That did not work. Please try again.")
        return ""

    def _fill(self) -> None:
        clear_layout(self.rows)
        items = (self.health.dead + self.health.failing)[:SHOWN]
        for item in items:
            label = self.text(f"staffSyncItem_{item.seq}")
            state = _("refused") if item.dead else _("failing")
            label.setText(tr("{kind}, {time}: {state} after {tries} tries ({why})", kind=kind_words(item.kind),
                             time=clock_words(item.created_at), state=state, tries=item.attempts,
                             why=device_words(item.error or "")))
            self.rows.addWidget(label)

    def connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self._load)
        self.retry_button.clicked.connect(self.retry)
        self.sync_button.clicked.connect(self.sync_now)

    def prompt(self) -> str:
        return sentences(_("Sync status."), self.counts.text(), self._status_text())

    def title(self) -> str:
        return _("Sync status")

    def states(self) -> list[str]:
        return ["default", "empty", "retrying", "retried", "failed"]

    def set_state(self, state: str) -> None:
        self.health = _sample(empty=state == "empty")
        if state == "retried":  # the refused ones are waiting again
            self.health = SyncHealth(self.health.pending + self.health.dead_total, self.health.failing, [], 0)
        self.requeued = 2
        self.show_state(state)

    def enter(self, **params: object) -> None:
        self.show_state("default")
        self._load()

    # actions -----------------------------------------------------------------------------------
    def _load(self) -> None:
        db = self.database()
        if db is None:
            return

        def read() -> SyncHealth:
            from kiosk.staff.sync_health import sync_health

            with db.session() as session:
                return sync_health(session)

        self.run(read, self._loaded)

    def _loaded(self, health: SyncHealth, state: str | None = None) -> None:
        self.health = health
        empty = not health.pending and not health.dead_total
        self.show_state(state or ("empty" if empty else "default"))

    def retry(self) -> None:
        if self.database() is None or self.state == "retrying":
            return
        from kiosk.staff.sync_health import retry_dead_async
        from ui.tasks import watch

        self.show_state("retrying")
        self._watchers.append(watch(self, retry_dead_async(self.runtime), self._requeued, self.failed))

    def _requeued(self, count: int) -> None:
        self.requeued = count
        log.info("staff requeued %d dead letters", count)
        db = self.database()

        def read() -> SyncHealth:
            from kiosk.staff.sync_health import sync_health

            with db.session() as session:
                return sync_health(session)

        self.run(read, lambda health: self._loaded(health, "retried"))

    def sync_now(self) -> None:
        sync = getattr(self.runtime, "sync", None)
        if sync is None:
            return
        from ui.tasks import watch

        self._watchers.append(watch(self, sync.relay.sync_now(), lambda _status: self._load(),
                                    lambda _exc: self._load()))
