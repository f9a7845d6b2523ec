"""Technician devices: each role's driver and connection options, live state, save and apply."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from devices.state import DeviceState
from kiosk.config import ConfigError
from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.tech_config import DEVICE_ROLES, FINDERS, OptionProblem, configured, initial_texts, new_options, save_device
from ui.tech_device_form import DeviceForm
from ui.tech_names import driver_name, option_name, role_name, state_name
from ui.tech_parts import HubWatcher, TechScreen, breakable, device_words, set_role, set_texts

log = logging.getLogger(__name__)

ROLE_COLUMNS = 3
PROBE_TIMEOUT_S = 8.0
SAMPLE_PATH = "/etc/kiosk/kiosk.toml"


def probe_section(option: str) -> Any:
    """Look for what can fill ``option`` (BLOCKING, bounded): BLE meters, serial ports, cameras."""
    from kiosk import device_probe

    finder = {"ble": device_probe.probe_ble, "serial": device_probe.probe_serial,
              "cameras": device_probe.probe_cameras}[FINDERS[option]]
    return finder(PROBE_TIMEOUT_S)


@register_screen
class TechDevicesScreen(TechScreen):
    """States: list (every role), edit (one role), finding, found, saving, saved, failed."""

    name = "tech_devices"

    def build(self) -> None:
        self.role = ""
        self.message = ""
        self.relay = HubWatcher(self, lambda _role: self.retranslate())
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("techDevicesHeading", "heading")
        self.live = self.text("techDevicesLive", "techStrong")
        top.addWidget(self.heading, 1)
        top.addWidget(self.live)
        layout.addLayout(top)
        self.pages = QStackedWidget()
        self.list_page = QWidget()
        self.role_grid = self.grid()
        QVBoxLayout(self.list_page).addLayout(self.role_grid)
        self.list_page.layout().setContentsMargins(0, 0, 0, 0)
        self.list_page.layout().addStretch(1)
        self.role_buttons = {}
        for index, role in enumerate(DEVICE_ROLES):
            btn = self.action(f"techDevicesRole_{role}", secondary=True)
            self.role_buttons[role] = btn
            self.role_grid.addWidget(btn, index // ROLE_COLUMNS, index % ROLE_COLUMNS)
        self.form = DeviceForm(self.gap)
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.form)
        layout.addWidget(self.pages, 1)
        self.status = self.text("techDevicesStatus", "tech")
        layout.addWidget(self.status)
        actions = self.row()
        self.save_button = self.action("techDevicesSave")
        self.find_button = self.action("techDevicesFind", secondary=True)
        self.back_button = self.action("techDevicesBack", secondary=True)
        actions.addWidget(self.save_button)
        actions.addWidget(self.find_button)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        editing = self.state != "list"
        self.pages.setCurrentWidget(self.form if editing else self.list_page)
        self.heading.setText(role_name(self.role) if editing and self.role else _("Devices"))
        for role, btn in self.role_buttons.items():
            set_texts(btn, role_name(role) + "\n" + self._summary(role), role_name(role))
        self.live.setText(self._live_text() if editing else "")
        self.live.setVisible(editing)
        self.form.retranslate()
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self.status.text()))
        set_role(self.status, {"saved": "techOk", "failed": "techAlert"}.get(self.state, "tech"))
        set_texts(self.save_button, _("Save and apply"))
        set_texts(self.find_button, _("Find devices"), _("Look for devices to connect"))
        set_texts(self.back_button, _("Back to the list") if editing else _("Technician menu"))
        busy = self.state in ("saving", "finding")
        self.save_button.setVisible(editing)
        self.save_button.setEnabled(not busy)
        self.find_button.setVisible(editing and bool(self.form.finder_option()))
        self.find_button.setEnabled(not busy)

    def _summary(self, role: str) -> str:
        driver, _options = configured(self.ctx.config, role)
        if not driver:
            return _("Not set up")
        return tr("{driver} · {state}", driver=driver_name(driver), state=self._state_words(role))

    def _state_words(self, role: str) -> str:
        hub = getattr(self.runtime, "devices", None)
        if hub is None:
            return _("Not started")
        report = hub.state(role)
        words = state_name(report.state)
        if report.state is DeviceState.ERROR:
            words = tr("{state}: {reason}", state=words, reason=device_words(report.reason_key, report.params))
        return words

    def _live_text(self) -> str:
        driver, _options = configured(self.ctx.config, self.role)
        if not driver:
            return _("Now: not set up")
        return tr("Now: {driver}, {state}", driver=driver_name(driver), state=self._state_words(self.role))

    def _status_text(self) -> str:
        if self.state == "finding":
            return _("Looking for devices… this takes a few seconds.")
        if self.state in ("saving", "saved", "failed", "found"):
            return self.message if self.state != "saving" else _("Saving…")
        return ""

    def connect_signals(self) -> None:
        for role, btn in self.role_buttons.items():
            btn.clicked.connect(lambda _checked=False, r=role: self.open_role(r))
        self.form.driver_chosen.connect(self.choose_driver)
        self.save_button.clicked.connect(self.save)
        self.find_button.clicked.connect(self.find)
        self.back_button.clicked.connect(self._back)

    def prompt(self) -> str:
        if self.state in ("saved", "failed", "finding", "found"):
            return self._status_text()
        if self.state == "list":
            return sentences(_("Devices."), _("Choose a device to set its driver and connection."))
        return sentences(role_name(self.role), _("Choose the driver and its connection, then save."))

    def title(self) -> str:
        return _("Devices")

    def states(self) -> list[str]:
        return ["list", "edit", "finding", "found", "saved", "failed"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        if state == "list":
            self.show_state("list")
            return
        self.open_role("bp" if state in ("finding", "found") else "printer")
        driver = "ble" if self.role == "bp" else "file"
        self.form.show_driver(driver, initial_texts(self.ctx.config, self.role, driver))
        if state == "found":
            self.form.show_found("address", [("A4:C1:38:12:34:56", _("Blood pressure monitor"))])
            self.message = tr("{count} found. Touch one to use it.", count=1)
        elif state == "saved":
            self.message = tr("Saved to {path}. {role} now uses {driver}.", path=breakable(SAMPLE_PATH),
                              role=role_name("printer"), driver=driver_name("file"))
        elif state == "failed":
            self.message = tr("Not saved: {option} cannot be “{text}”.", option=option_name("paper_mm"), text="57")
        self.show_state(state)

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.relay.watch(getattr(self.runtime, "devices", None))
        role = str(params.get("role", ""))
        if role in DEVICE_ROLES:
            self.open_role(role)
        else:
            self.show_state("list")

    def leave(self) -> None:
        super().leave()
        self.relay.stop()

    def _back(self) -> None:
        if self.state == "list":
            self.ctx.navigate("tech_home")
        else:
            self.drop_pending()
            self.show_state("list")

    # editing -----------------------------------------------------------------------------------
    def open_role(self, role: str) -> None:
        self.role = role
        self.message = ""
        driver, _options = configured(self.ctx.config, role)
        driver = driver or "sim"
        self.form.show_role(role, driver, initial_texts(self.ctx.config, role, driver))
        self.show_state("edit")

    def choose_driver(self, driver: str) -> None:
        self.form.show_driver(driver, initial_texts(self.ctx.config, self.role, driver))
        self.message = ""
        self.show_state("edit")

    def find(self) -> None:
        option = self.form.finder_option()
        if not option or self.state == "finding":
            return
        self.show_state("finding")
        if not self.run(lambda: probe_section(option), lambda section: self._found(option, section)):
            self.show_state("edit")

    def _found(self, option: str, section: Any) -> None:
        if not section.looked:
            why = device_words(section.reason_key, section.reason_params)
            self.message = tr("Cannot look for devices: {reason}", reason=why)
            if section.detail:
                self.message += f" ({section.detail})"
            self.show_state("failed", speak=True)
            return
        items = [(item.address, item.description) for item in section.items]
        self.form.show_found(option, items)
        self.message = tr("{count} found. Touch one to use it.", count=len(items)) if items \
            else _("Nothing found. Check the cable or switch the device on.")
        self.show_state("found", speak=True)

    def save(self) -> None:
        role, driver = self.role, self.form.driver
        try:
            options = new_options(self.ctx.config, role, driver, self.form.texts())
        except OptionProblem as exc:
            self.message = tr("Not saved: {option} cannot be “{text}”.", option=option_name(exc.option), text=exc.text)
            self.show_state("failed", speak=True)
            return
        runtime = self.runtime
        if runtime is None:
            return
        self.show_state("saving")
        self.run(lambda: save_device(runtime, role, driver, options), self._saved, self._not_saved)

    def _saved(self, outcome: tuple[Any, Any]) -> None:
        live, path = outcome
        self.runtime.config = live
        self.ctx.config = live
        self.relay.watch(self.runtime.devices)
        self.message = tr("Saved to {path}. {role} now uses {driver}.", path=breakable(str(path)),
                          role=role_name(self.role), driver=driver_name(self.form.driver))
        self.show_state("saved", speak=True)

    def _not_saved(self, exc: BaseException) -> None:
        if isinstance(exc, ConfigError):
            self.message = tr("Not saved: setting {key}: {problem}", key=exc.key, problem=exc.problem)
        else:
            log.error("saving the device setting failed: %s: %s", type(exc).__name__, exc)
            self.message = tr("Not saved: {problem}", problem=f"{type(exc).__name__}: {exc}")
        self.show_state("failed", speak=True)
