"""Words for device roles, driver ids, options and states on the technician screens."""

from __future__ import annotations

from devices.state import DeviceState
from kiosk.i18n import N_, _, tr

ROLE_NAMES = {
    "bp": N_("Blood pressure monitor"),
    "spo2": N_("Pulse oximeter"),
    "thermometer": N_("Thermometer"),
    "scale": N_("Scale"),
    "glucose": N_("Glucose meter"),
    "scanner": N_("QR scanner"),
    "printer": N_("Receipt printer"),
    "speech": N_("Speech"),
    "camera": N_("Photo camera"),
    "microphone": N_("Microphone"),
}

DRIVER_NAMES = {
    "sim": N_("Simulated twin"),
    "dummy": N_("Dummy twin"),
    "fake": N_("Simulated twin"),
    "ble": N_("Bluetooth LE"),
    "cms50d": N_("CMS50D serial"),
    "usb": N_("USB"),
    "serial": N_("Serial port"),
    "network": N_("Network"),
    "file": N_("Device file"),
    "camera": N_("Camera"),
    "opencv": N_("Camera"),
    "pyttsx3": N_("Speech engine"),
    "null": N_("No speech"),
    "system": N_("Sound card"),
}

OPTION_NAMES = {
    "path": N_("Device file"),
    "port": N_("Port"),
    "host": N_("Host"),
    "baudrate": N_("Baud rate"),
    "address": N_("Bluetooth address"),
    "vendor_id": N_("USB vendor id"),
    "product_id": N_("USB product id"),
    "device": N_("Camera index"),
    "paper_mm": N_("Paper width"),
    "profile": N_("Printer profile"),
}

STATE_NAMES = {
    DeviceState.DISCONNECTED: N_("Not connected"),
    DeviceState.CONNECTING: N_("Connecting"),
    DeviceState.READY: N_("Ready"),
    DeviceState.BUSY: N_("Busy"),
    DeviceState.ERROR: N_("Fault"),
}


def role_name(role: str) -> str:
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else tr("Device {role}", role=role)


def driver_name(driver_id: str) -> str:
    """The driver's name with its id, so the technician sees both: 串口（serial）."""
    if driver_id in DRIVER_NAMES:
        return tr("{name} ({driver})", name=_(DRIVER_NAMES[driver_id]), driver=driver_id)
    return tr("Driver {driver}", driver=driver_id)


def option_name(option: str) -> str:
    return _(OPTION_NAMES[option]) if option in OPTION_NAMES else tr("Option {option}", option=option)


def state_name(state: DeviceState) -> str:
    return _(STATE_NAMES[state])
