"""Choose a measurement, or a full check through every ready device; a device not ready says why."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout

from devices.state import DeviceState, StateReport
from kiosk.health.measurement import KINDS
from kiosk.i18n import N_, _, current_language, sentences, tr
from ui.health_device import DeviceStateRelay, Readiness, readiness, role_readiness
from ui.health_style import HealthStyled
from ui.health_visit import KIND_HINTS, PICTURE_WORDS, HealthVisit, kind_title, role_of, sample_resident
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.widgets.health_tile import MeasureTile

FULL = "full"
FULL_PICTURE_WORDS = N_("Picture: a checklist with every measurement ticked")
# Sample device states for screenshots and the audit (no devices there).
SAMPLE_NOT_READY = {
    "bp": StateReport(DeviceState.READY, "vitals.state.ready"),
    "spo2": StateReport(DeviceState.ERROR, "vitals.error.probe_error"),
    "thermometer": StateReport(DeviceState.DISCONNECTED, "device.state.not_started"),
    "scale": StateReport(DeviceState.ERROR, "vitals.error.port_unavailable"),
    "glucose": None,  # not configured
}


def first_sentence(text: str) -> str:
    """The first sentence of a device reason (the tile has room for one; the voice says all)."""
    for stop in ("。", ". "):
        head, found, _rest = text.partition(stop)
        if found:
            return head + stop.strip()
    return text


@register_screen
class HealthChooseScreen(HealthStyled, Screen):
    """``enter(identified=True, keep=bool)`` or ``enter(guest=True)`` starts a visit; no params keeps it."""

    name = "health_choose"

    def build(self) -> None:
        self.visit: HealthVisit | None = None
        self._sample: dict[str, Any] | None = None
        self.relay = DeviceStateRelay(self, lambda _role: self.retranslate())
        layout = self.column()
        layout.setSpacing(16)  # the tiles get the height: three lines of reasons at 1.5x
        self.heading = self.label("healthChooseHeading", "heading")
        self.who = self.label("healthChooseWho", "body")
        layout.addWidget(self.heading)
        layout.addWidget(self.who)
        grid = QGridLayout()
        grid.setSpacing(max(16, self.ctx.tokens.gap * 2 // 3))
        self.tiles = [MeasureTile(kind) for kind in (*KINDS, FULL)]
        for index, tile in enumerate(self.tiles):
            grid.addWidget(tile, index // 3, index % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        for row in range(2):
            grid.setRowStretch(row, 1)
        layout.addLayout(grid, 1)
        self.apply_health_style()

    # readiness ---------------------------------------------------------------------------------
    def readiness(self, kind: str) -> Readiness:
        role = role_of(kind)
        if self._sample is not None:
            report = self._sample.get(role, StateReport(DeviceState.READY))
            return readiness(report, report is not None)
        return role_readiness(getattr(self.ctx.runtime, "devices", None), role)

    def ready_kinds(self) -> list[str]:
        return [kind for kind in KINDS if self.readiness(kind).ready]

    # texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(_("What would you like to measure?"))
        self.who.setText(self._who_text())
        ready = self.ready_kinds()
        for tile in self.tiles:
            if tile.kind == FULL:
                name = _("Full check")
                status = (tr("All {count} ready devices, one after another", count=len(ready)) if ready
                          else _("No device is ready just now. Please ask a member of staff."))
                tile.set_texts(name, status, bool(ready))
                continue
            state = self.readiness(tile.kind)
            status = _(KIND_HINTS[tile.kind]) if state.ready else tr("Not ready: {reason}",
                                                                    reason=first_sentence(state.reason))
            tile.set_texts(kind_title(tile.kind), status, state.ready)
        self.on_tokens_changed()  # pictures follow each tile's enabled state

    def on_tokens_changed(self) -> None:
        tokens = self.ctx.tokens
        p = tokens.palette
        size = 96 if tokens.scale <= 1.0 else 72  # the words get the room at larger text
        for tile in self.tiles:
            tile.picture.setVisible(tokens.scale < 1.5)
            words = _(FULL_PICTURE_WORDS) if tile.kind == FULL else _(PICTURE_WORDS[tile.kind])
            ink = p.on_primary if tile.isEnabled() else p.text
            tile.set_picture(tile.kind, size, ink, p.focus if tile.isEnabled() else p.muted_text, words)

    def _who_text(self) -> str:
        visit = self.visit
        if visit is None or visit.guest:
            return _("Guest: results are shown and printed, nothing is kept.")
        return tr("For {name}: results are kept for you and your community doctor.",
                  name=visit.resident.masked_name or _("resident"))

    def prompt(self) -> str:
        ready = self.ready_kinds()
        names = "、".join(kind_title(k) for k in ready) if current_language().startswith("zh") else \
            ", ".join(kind_title(k) for k in ready)
        if not ready:
            return sentences(_("What would you like to measure?"),
                             _("No device is ready just now. Please ask a member of staff."))
        return sentences(
            _("What would you like to measure?"), self._who_text(),
            tr("Ready now: {names}.", names=names),
            _("Touch one measurement, or touch Full check to do them all, one after another."),
        )

    def title(self) -> str:
        return _("What would you like to measure?")

    # states ------------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "not_ready"]

    def set_state(self, state: str) -> None:
        """Screenshot/audit walk only (flows use Screen.set_state): sample residents and devices."""
        if state == "not_ready":
            self._sample = dict(SAMPLE_NOT_READY)
            self.visit = HealthVisit()
        else:
            self._sample = {}
            self.visit = HealthVisit(sample_resident(), keep=True)
        super().set_state(state)

    # flow --------------------------------------------------------------------------------------
    def connect_signals(self) -> None:
        for tile in self.tiles:
            tile.clicked.connect(lambda _checked=False, k=tile.kind: self._choose(k))

    def enter(self, **params: object) -> None:
        if self._sample is not None:  # a screenshot's sample visit is never carried into real use
            self.visit, self._sample = None, None
        if params.get("guest"):
            self.visit = HealthVisit()
        elif params.get("identified"):
            keep = bool(params.get("keep", False))
            resident = self.ctx.session.resident
            self.visit = HealthVisit(resident if keep else None, keep=keep and resident is not None)
        elif self.visit is None:
            self.visit = HealthVisit()
        self.visit.measurements = []
        self.relay.watch(getattr(self.ctx.runtime, "devices", None))
        super().set_state("default")

    def _choose(self, kind: str) -> None:
        if self.visit is None:
            self.visit = HealthVisit()
        kinds = self.ready_kinds() if kind == FULL else [kind]
        if not kinds:
            return
        self.visit.measurements = []
        self.ctx.navigate("health_measure", visit=self.visit, kinds=tuple(kinds), full=kind == FULL)

    def leave(self) -> None:
        self.relay.stop()

    def reset_personal(self) -> None:
        self.relay.stop()
        self.visit = None
        self._sample = None
        Screen.set_state(self, "default")  # not the sample-loading override
