"""Technician diagnostics: export a bundle (zip, no personal data) to the kiosk folder or a USB drive."""

from __future__ import annotations

import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.tech_parts import TechScreen, breakable, set_role, set_selected, set_texts

log = logging.getLogger(__name__)

MEDIA_ROOTS = ("/media", "/run/media", "/mnt")
TARGETS_SHOWN = 4
NAMES_SHOWN = 8


@dataclass(frozen=True)
class Bundle:
    path: Path
    size_bytes: int
    names: tuple[str, ...]


def removable_folders(roots: tuple[str, ...] = MEDIA_ROOTS) -> list[Path]:
    """Writable mounted drives: /media/<user>/<drive>, /run/media/<user>/<drive>, /mnt/<drive>."""
    found: list[Path] = []
    for root in map(Path, roots):
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            try:
                nested = sorted(p for p in child.iterdir() if p.is_dir() and os.path.ismount(p))
            except OSError:
                nested = []
            for folder in nested or ([child] if os.path.ismount(child) else []):
                if os.access(folder, os.W_OK):
                    found.append(folder)
    return found


def default_folder(config: Any) -> Path:
    from kiosk import paths

    return paths.data_dir(config) / "diagnostics"


def export(runtime: Any, folder: Path) -> Bundle:
    """kiosk.diagnostics.export_bundle into ``folder`` (BLOCKING), and what the zip holds."""
    from kiosk.diagnostics import export_bundle

    folder.mkdir(parents=True, exist_ok=True)
    path = Path(export_bundle(runtime, folder))
    with zipfile.ZipFile(path) as bundle:
        names = tuple(bundle.namelist())
    return Bundle(path, path.stat().st_size, names)


@register_screen
class TechDiagnosticsScreen(TechScreen):
    """States: default (choose where), exporting, done (the file and its contents), failed."""

    name = "tech_diagnostics"

    def build(self) -> None:
        self.targets: list[Path] = []
        self.target_index = 0
        self.bundle: Bundle | None = None
        self.problem = ""
        layout = self.tech_column()
        self.heading = self.label("techDiagHeading", "heading")
        self.explain = self.text("techDiagExplain", "tech")
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        self.target_grid = self.grid()
        self.target_buttons = [self.choice(f"techDiagTarget_{i}") for i in range(TARGETS_SHOWN)]
        for index, btn in enumerate(self.target_buttons):
            self.target_grid.addWidget(btn, index // 2, index % 2)
        layout.addLayout(self.target_grid)
        self.result = self.text("techDiagResult", "techStrong")
        self.contents = self.text("techDiagContents", "tech")
        layout.addWidget(self.result)
        layout.addWidget(self.contents)
        layout.addStretch(1)
        actions = self.row()
        self.export_button = self.action("techDiagExport")
        self.rescan_button = self.action("techDiagRescan", secondary=True)
        self.back_button = self.action("techDiagBack", secondary=True)
        actions.addWidget(self.export_button)
        actions.addWidget(self.rescan_button)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Diagnostics"))
        self.explain.setText(_("The bundle holds versions, settings, device states, checks and logs. "
                               "Names, phone numbers, health values and card codes are removed."))
        for index, btn in enumerate(self.target_buttons):
            btn.setVisible(index < len(self.targets))
            if index < len(self.targets):
                words = _("Kiosk data folder") if index == 0 else tr("USB drive {name}", name=self.targets[index].name)
                set_texts(btn, words, tr("Save to {place}", place=words))
                set_selected(btn, index == self.target_index)
        self.result.setText(self._result_text())
        self.result.setVisible(bool(self.result.text()))
        set_role(self.result, {"done": "techOk", "failed": "techAlert"}.get(self.state, "techStrong"))
        names = self.bundle.names if self.bundle and self.state == "done" else ()
        shown = ", ".join(names[:NAMES_SHOWN]) + (" …" if len(names) > NAMES_SHOWN else "")
        self.contents.setText(tr("Inside: {names}", names=shown) if names else "")
        self.contents.setVisible(bool(names))
        set_texts(self.export_button, _("Export bundle"))
        self.export_button.setEnabled(self.state != "exporting")
        set_texts(self.rescan_button, _("Look for USB drives"))
        set_texts(self.back_button, _("Technician menu"))

    def _result_text(self) -> str:
        if self.state == "exporting":
            return _("Exporting…")
        if self.state == "done" and self.bundle is not None:
            return tr("Saved: {path} ({size} KB)", path=breakable(str(self.bundle.path)),
                      size=max(1, round(self.bundle.size_bytes / 1024)))
        if self.state == "failed":
            return tr("The bundle was not saved: {problem}", problem=self.problem)
        if len(self.targets) <= 1:
            return _("No USB drive found: the bundle goes to the kiosk data folder.")
        return ""

    def connect_signals(self) -> None:
        for index, btn in enumerate(self.target_buttons):
            btn.clicked.connect(lambda _c=False, i=index: self._choose(i))
        self.export_button.clicked.connect(lambda: self.export())
        self.rescan_button.clicked.connect(self.find_targets)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("tech_home"))

    def prompt(self) -> str:
        if self.state in ("done", "failed", "exporting"):
            return self._result_text()
        return sentences(_("Diagnostics."), _("Choose where to save the bundle, then export."))

    def title(self) -> str:
        return _("Diagnostics")

    def states(self) -> list[str]:
        return ["default", "exporting", "done", "failed"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        self.targets = [Path("/var/lib/kiosk/diagnostics"), Path("/media/kiosk/KINGSTON")]
        self.target_index = 1
        self.bundle = Bundle(Path("/media/kiosk/KINGSTON/kiosk-diag.zip"), 48_213,
                             ("versions.json", "config.toml", "devices.json", "checks.json", "sync.json",
                              "logs/kiosk.log", "logs/wire.log"))
        self.problem = _("The drive is full.")
        self.show_state(state)

    def enter(self, **params: object) -> None:
        self.bundle = None
        self.targets = [default_folder(self.ctx.config)]
        self.target_index = 0
        self.show_state("default")
        self.find_targets()

    # actions -----------------------------------------------------------------------------------
    def _choose(self, index: int) -> None:
        self.target_index = index
        self.retranslate()

    def find_targets(self) -> None:
        home = default_folder(self.ctx.config)
        self.run(removable_folders, lambda found: self._targets_found([home, *found]))

    def _targets_found(self, targets: list[Path]) -> None:
        chosen = self.targets[self.target_index] if self.target_index < len(self.targets) else None
        self.targets = targets[:TARGETS_SHOWN]
        self.target_index = self.targets.index(chosen) if chosen in self.targets else 0
        self.retranslate()

    def export(self, folder: Path | None = None) -> None:
        """Export to ``folder`` (tests) or the chosen place."""
        runtime = self.runtime
        if runtime is None or self.state == "exporting":
            return
        target = folder or self.targets[self.target_index]
        self.show_state("exporting")
        self.run(lambda: export(runtime, target), self._exported, self._failed)

    def _exported(self, bundle: Bundle) -> None:
        self.bundle = bundle
        log.info("diagnostics bundle exported (%d bytes)", bundle.size_bytes)
        self.show_state("done", speak=True)

    def _failed(self, exc: BaseException) -> None:
        log.error("diagnostics export failed: %s", type(exc).__name__)
        self.problem = str(exc) if isinstance(exc, OSError) else type(exc).__name__
        self.show_state("failed", speak=True)
