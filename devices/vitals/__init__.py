"""Vitals devices: GATT parsers, BLE and serial transports, simulated twins."""

from __future__ import annotations

import importlib
from typing import Callable

from devices.registry import DriverInfo, register

# Each vitals role: (twin class in its module, expected BLE driver class in devices.vitals.ble).
_ROLES: dict[str, tuple[str, str]] = {
    "bp": ("devices.vitals.sim_bp:SimBloodPressure", "BleBloodPressure"),
    "spo2": ("devices.vitals.sim_spot:SimOximeter", "BleOximeter"),
    "thermometer": ("devices.vitals.sim_spot:SimThermometer", "BleThermometer"),
    "scale": ("devices.vitals.sim_spot:SimScale", "BleScale"),
    "glucose": ("devices.vitals.sim_spot:SimGlucoseMeter", "BleGlucoseMeter"),
}


def _ble_driver_available(class_name: str) -> Callable[[], tuple[bool, str]]:
    """bleak must import and devices.vitals.ble must provide the role's driver class."""

    def check() -> tuple[bool, str]:
        try:
            ble = importlib.import_module("devices.vitals.ble")
        except Exception as exc:  # a broken optional stack must not break the registry
            return False, f"devices.vitals.ble cannot be imported: {type(exc).__name__}: {exc}"
        ok, why = ble.ble_available()
        if not ok:
            return False, why
        if not hasattr(ble, class_name):
            return False, f"devices.vitals.ble has no driver class {class_name}"
        return True, ""

    return check


def _class(path: str) -> type:
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _register_all() -> None:
    for role, (sim_path, ble_class) in _ROLES.items():
        sim = _class(sim_path)
        register(DriverInfo(
            role=role, driver_id="sim", factory_path=sim_path,
            capabilities=sim.capabilities, options=sim.options, simulated=True,
            doc=f"Simulated {role} device with scripted readings and faults.",
        ))
        ble = _class(f"devices.vitals.ble_drivers:{ble_class}")  # imports no bleak
        register(DriverInfo(
            role=role, driver_id="ble", factory_path=f"devices.vitals.ble:{ble_class}",
            capabilities=ble.capabilities, options=ble.options,
            doc=f"Bluetooth LE {role} meter (standard GATT profile).",
            availability=_ble_driver_available(ble_class),
        ))
    cms50d = _class("devices.vitals.cms50d:Cms50dOximeter")
    register(DriverInfo(
        role="spo2", driver_id="cms50d", factory_path="devices.vitals.cms50d:Cms50dOximeter",
        capabilities=cms50d.capabilities, options=cms50d.options,
        doc="Contec CMS50D+ style oximeter on a serial port (19200 8O1).",
    ))


_register_all()
