"""The editor of one device role on tech_devices: driver buttons, option fields, found devices."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import _, tr
from ui.tech_config import CHOICES, FINDERS, drivers_for, editable_options
from ui.tech_names import driver_name, option_name
from ui.tech_parts import clear_layout, set_selected, set_texts

DRIVER_COLUMNS = 3
FOUND_MAX = 4
_VIDEO_NODE = re.compile(r"/dev/video(\d+)$")


class DeviceForm(QWidget):
    """Shows the drivers registered for a role and the chosen driver's connection options.

    ``driver_chosen(driver_id)`` when a driver button is touched; ``texts()`` are the option
    values as typed; ``show_found(option, items)`` offers devices a scan found, one touch each.
    """

    driver_chosen = Signal(str)

    def __init__(self, gap_px: int) -> None:
        super().__init__()
        self.setObjectName("techDevicesForm")
        self.gap_px = gap_px
        self.role = ""
        self.driver = ""
        self.fields: dict[str, QLineEdit] = {}
        self.choice_buttons: dict[str, list[tuple[QPushButton, int]]] = {}
        self.values: dict[str, str] = {}
        self.found_option = ""
        self.found: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(gap_px)
        self.driver_grid = self._grid()
        self.options_grid = self._grid()
        self.found_grid = self._grid()
        layout.addLayout(self.driver_grid)
        layout.addLayout(self.options_grid)
        layout.addLayout(self.found_grid)
        self.driver_buttons: dict[str, QPushButton] = {}
        self.found_buttons: list[QPushButton] = []

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.gap_px)
        grid.setVerticalSpacing(self.gap_px)
        return grid

    @staticmethod
    def _label(object_name: str, role: str = "tech") -> QLabel:
        lab = QLabel()
        lab.setObjectName(object_name)
        lab.setProperty("role", role)
        lab.setWordWrap(True)
        return lab

    @staticmethod
    def _choice(object_name: str) -> QPushButton:
        btn = QPushButton()
        btn.setObjectName(object_name)
        btn.setProperty("role", "choice")
        btn.setProperty("selected", False)
        return btn

    # content -----------------------------------------------------------------------------------
    def show_role(self, role: str, driver: str, texts: dict[str, str]) -> None:
        self.role = role
        clear_layout(self.driver_grid)
        self.driver_buttons = {}
        for index, driver_id in enumerate(drivers_for(role)):
            btn = self._choice(f"techDevicesDriver_{driver_id}")
            btn.clicked.connect(lambda _checked=False, d=driver_id: self.driver_chosen.emit(d))
            self.driver_buttons[driver_id] = btn
            self.driver_grid.addWidget(btn, index // DRIVER_COLUMNS, index % DRIVER_COLUMNS)
        self.show_driver(driver, texts)

    def show_driver(self, driver: str, texts: dict[str, str]) -> None:
        self.driver = driver
        self.values = dict(texts)
        for driver_id, btn in self.driver_buttons.items():
            set_selected(btn, driver_id == driver)
        clear_layout(self.options_grid)
        self.fields, self.choice_buttons = {}, {}
        specs = editable_options(self.role, driver) if driver else []
        for index, spec in enumerate(specs):
            row, col = index // 2, (index % 2) * 2
            label = self._label(f"techDevicesOptionLabel_{spec.name}")
            label.setProperty("option", spec.name)
            self.options_grid.addWidget(label, row, col)
            if spec.name in CHOICES:
                holder = QWidget()
                line = QGridLayout(holder)
                line.setContentsMargins(0, 0, 0, 0)
                line.setHorizontalSpacing(self.gap_px)
                buttons = []
                for c, value in enumerate(CHOICES[spec.name]):
                    btn = self._choice(f"techDevicesOption_{spec.name}_{value}")
                    btn.clicked.connect(lambda _checked=False, n=spec.name, v=value: self.choose(n, v))
                    line.addWidget(btn, 0, c)
                    buttons.append((btn, value))
                self.choice_buttons[spec.name] = buttons
                self.options_grid.addWidget(holder, row, col + 1)
            else:
                field = QLineEdit()
                field.setObjectName(f"techDevicesOption_{spec.name}")
                field.setText(texts.get(spec.name, ""))
                self.fields[spec.name] = field
                self.options_grid.addWidget(field, row, col + 1)
        for col in (1, 3):
            self.options_grid.setColumnStretch(col, 1)
        self.show_found("", [])
        self.retranslate()

    def choose(self, option: str, value: int) -> None:
        self.values[option] = str(value)
        self._mark_choices()

    def _mark_choices(self) -> None:
        for option, buttons in self.choice_buttons.items():
            for btn, value in buttons:
                set_selected(btn, self.values.get(option) == str(value))

    def texts(self) -> dict[str, str]:
        out = dict(self.values)
        out.update({name: field.text() for name, field in self.fields.items()})
        return out

    def finder_option(self) -> str:
        """The option a scan can fill for this driver ("" when none)."""
        return next((name for name in self.fields if name in FINDERS), "")

    def show_found(self, option: str, items: list[tuple[str, str]]) -> None:
        """``items``: (value for the option, description) of what a scan found."""
        self.found_option, self.found = option, items[:FOUND_MAX]
        clear_layout(self.found_grid)
        self.found_buttons = []
        for index, (value, _desc) in enumerate(self.found):
            btn = self._choice(f"techDevicesFound_{index}")
            btn.clicked.connect(lambda _checked=False, v=value: self.use_found(v))
            self.found_buttons.append(btn)
            self.found_grid.addWidget(btn, index // 2, index % 2)
        self.retranslate()

    def use_found(self, value: str) -> None:
        field = self.fields.get(self.found_option)
        if field is None:
            return
        match = _VIDEO_NODE.search(value)
        field.setText(match.group(1) if self.found_option == "device" and match else value)
        for btn, (found_value, _desc) in zip(self.found_buttons, self.found):
            set_selected(btn, found_value == value)

    # texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for driver_id, btn in self.driver_buttons.items():
            set_texts(btn, driver_name(driver_id))
        for index in range(self.options_grid.count()):
            widget = self.options_grid.itemAt(index).widget()
            if isinstance(widget, QLabel) and widget.property("option"):
                widget.setText(option_name(widget.property("option")))
        for name, field in self.fields.items():
            field.setAccessibleName(option_name(name))
        for option, buttons in self.choice_buttons.items():
            for btn, value in buttons:
                set_texts(btn, tr("{value} mm", value=value) if option == "paper_mm" else str(value),
                          tr("{option}: {value}", option=option_name(option), value=value))
        self._mark_choices()
        for btn, (value, desc) in zip(self.found_buttons, self.found):
            words = tr("Use {value} ({description})", value=value, description=desc) if desc \
                else tr("Use {value}", value=value)
            set_texts(btn, words)
