"""Receipt printers on python-escpos: document model, rendering, status, dummy.

Driver ids under role "printer": usb, serial, network, file, dummy (python-escpos Dummy, collects
bytes) and sim (a Dummy that answers status queries and injects paper/cover/offline faults).
Every one takes paper_mm (58/80), profile (python-escpos capability profile) and native_qr.
"""

from __future__ import annotations

import importlib
import os

from devices.registry import DriverInfo, OptionSpec, module_available, register

_CAPS = frozenset({"print", "cut", "cjk", "qr"})
_COMMON = (
    OptionSpec("paper_mm", int, 58, "Paper width in mm: 58 (32 columns) or 80 (48 columns)."),
    OptionSpec("profile", str, "default", "python-escpos capability profile, e.g. default, ZJ-5870."),
    OptionSpec("native_qr", bool, None, "Printer draws QR codes itself; empty = from the profile."),
)


def _usb_available() -> tuple[bool, str]:
    ok, _ = module_available("usb.core")()
    if not ok:
        return False, "USB printing needs pyusb (pip install pyusb) and libusb"
    backend = importlib.import_module("usb.backend.libusb1").get_backend()
    if backend is None:
        backend = importlib.import_module("usb.backend.libusb0").get_backend()
    if backend is None:
        return False, "pyusb found no libusb library (apt install libusb-1.0-0)"
    return True, ""


def _file_available() -> tuple[bool, str]:
    # Whether the configured path exists is only known at open (printer.not_found).
    if os.name != "posix":
        return False, "printer device files exist on Linux only"
    return True, ""


_FACTORIES = "devices.printer.factories:"

register(DriverInfo(
    "printer", "usb", _FACTORIES + "usb_printer", _CAPS | {"status"},
    (OptionSpec("vendor_id", int, None, "USB vendor id, e.g. 0x0416."),
     OptionSpec("product_id", int, None, "USB product id, e.g. 0x5011."), *_COMMON),
    doc="ESC/POS printer on USB through pyusb.", availability=_usb_available,
))
register(DriverInfo(
    "printer", "serial", _FACTORIES + "serial_printer", _CAPS | {"status"},
    (OptionSpec("port", str, "/dev/ttyUSB0", "Serial port."),
     OptionSpec("baudrate", int, 9600, "Baud rate set on the printer (often 9600 or 115200)."), *_COMMON),
    doc="ESC/POS printer on a serial port.", availability=module_available("serial"),
))
register(DriverInfo(
    "printer", "network", _FACTORIES + "network_printer", _CAPS | {"status"},
    (OptionSpec("host", str, "", "Printer IP address or host name."),
     OptionSpec("port", int, 9100, "Raw TCP port."), *_COMMON),
    doc="ESC/POS printer on Ethernet/Wi-Fi (raw TCP port 9100).",
))
register(DriverInfo(
    "printer", "file", _FACTORIES + "file_printer", _CAPS,
    (OptionSpec("path", str, "/dev/usb/lp0", "Printer device file (write-only: status unknown)."), *_COMMON),
    doc="ESC/POS printer through a device file such as /dev/usb/lp0.", availability=_file_available,
))
register(DriverInfo(
    "printer", "dummy", _FACTORIES + "dummy_printer", _CAPS, _COMMON, simulated=True,
    doc="Dummy printer twin: collects the bytes (python-escpos Dummy); status unknown.",
))
register(DriverInfo(
    "printer", "sim", _FACTORIES + "sim_printer", _CAPS | {"status"},
    (*_COMMON,
     OptionSpec("fault", str, "ok", "Injected condition: ok, near_end, paper_out, cover_open, offline, unknown."),
     OptionSpec("paper_lines", int, None, "Lines left on the simulated roll; empty = endless."),
     OptionSpec("near_end_lines", int, 20, "Lines left when the near-end sensor trips.")),
    simulated=True, doc="Simulated printer twin with status replies and fault injection.",
))
