"""What hardware this machine shows: serial ports, cameras, BLE meters, USB printers (bounded)."""

from __future__ import annotations

import glob
import importlib
import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from devices.base import CancelToken
from kiosk.i18n import N_

log = logging.getLogger(__name__)

SECTION_SERIAL = "serial"
SECTION_CAMERAS = "cameras"
SECTION_BLE = "ble"
SECTION_USB_PRINTERS = "usb_printers"
SECTION_NAMES = (SECTION_SERIAL, SECTION_CAMERAS, SECTION_BLE, SECTION_USB_PRINTERS)

USB_CLASS_PRINTER = 0x07
CAMERA_INDICES = range(4)
SYS_ROOT = Path("/sys")

# Why a section could not look (technician messages; ``detail`` carries the library's words).
REASON_NO_PYSERIAL = N_("device_admin.probe.no_pyserial")
REASON_NO_OPENCV = N_("device_admin.probe.no_opencv")
REASON_NO_BLEAK = N_("device_admin.probe.no_bleak")
REASON_NO_BT_ADAPTER = N_("device_admin.probe.no_bluetooth_adapter")
REASON_BLE_SCAN_FAILED = N_("device_admin.probe.ble_scan_failed")
REASON_NO_USB_ACCESS = N_("device_admin.probe.no_usb_access")
REASON_TIMED_OUT = N_("device_admin.probe.timed_out")
REASON_FAILED = N_("device_admin.probe.failed")


@dataclass(frozen=True)
class ProbeItem:
    """One thing found: ``address`` is what goes into the config (port, index, BT address)."""

    address: str
    description: str = ""
    usb_id: str = ""  # "0416:5011" (vendor:product, hexadecimal) when known
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeSection:
    """One kind of hardware. ``looked`` False means it could not look; ``reason_key`` and
    ``reason_params`` say why (translatable) and ``detail`` gives the technical words."""

    name: str
    looked: bool
    items: tuple[ProbeItem, ...] = ()
    reason_key: str = ""
    reason_params: dict[str, object] = field(default_factory=dict)
    detail: str = ""


@dataclass(frozen=True)
class ProbeReport:
    sections: tuple[ProbeSection, ...]

    def section(self, name: str) -> ProbeSection:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)


def _cannot(name: str, key: str, detail: str = "", **params: object) -> ProbeSection:
    return ProbeSection(name, False, reason_key=key, reason_params=params, detail=detail)


def _usb_id(vid: int | None, pid: int | None) -> str:
    return f"{vid:04x}:{pid:04x}" if vid is not None and pid is not None else ""


# -- serial ------------------------------------------------------------------------------------
def probe_serial(timeout_s: float = 5.0) -> ProbeSection:
    """Serial ports pyserial lists (USB-serial adapters with their VID:PID)."""
    try:
        from serial.tools import list_ports
    except Exception as exc:  # an optional dependency can fail beyond ImportError
        return _cannot(SECTION_SERIAL, REASON_NO_PYSERIAL, f"{type(exc).__name__}: {exc}")
    items = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        description = port.description if port.description not in (None, "n/a") else ""
        details = tuple(d for d in (port.manufacturer, port.serial_number and "serial number "
                                    + port.serial_number) if d)
        items.append(ProbeItem(port.device, description, _usb_id(port.vid, port.pid), details))
    return ProbeSection(SECTION_SERIAL, True, tuple(items))


# -- cameras -----------------------------------------------------------------------------------
def probe_cameras(timeout_s: float = 5.0, *, sys_root: Path = SYS_ROOT,
                  dev_glob: str = "/dev/video*") -> ProbeSection:
    """On Linux the /dev/video* nodes with their V4L2 names, never opened (opening a camera
    would take it from a running kiosk); elsewhere OpenCV indices 0..3, opened briefly."""
    if sys.platform.startswith("linux"):
        items = []
        for node in sorted(glob.glob(dev_glob), key=lambda n: (len(n), n)):
            index = Path(node).name.removeprefix("video")
            name_file = sys_root / "class" / "video4linux" / Path(node).name / "name"
            try:
                name = name_file.read_text(encoding="utf-8").strip()
            except OSError:
                name = ""
            items.append(ProbeItem(node, name, details=(f"index {index}",)))
        return ProbeSection(SECTION_CAMERAS, True, tuple(items))
    try:
        cv2 = importlib.import_module("cv2")
    except Exception as exc:
        return _cannot(SECTION_CAMERAS, REASON_NO_OPENCV, f"{type(exc).__name__}: {exc}")
    items = []
    for index in CAMERA_INDICES:
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened():
                items.append(ProbeItem(str(index), f"camera {index}"))
        finally:
            capture.release()
    return ProbeSection(SECTION_CAMERAS, True, tuple(items))


class _Expiring(CancelToken):
    """A token that cancels itself after ``seconds``: the BLE loop stops waiting by then."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._end_s = time.monotonic() + seconds

    @property
    def cancelled(self) -> bool:
        return time.monotonic() >= self._end_s or super().cancelled

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            super().cancel()
        super().raise_if_cancelled()


# -- Bluetooth LE health meters ---------------------------------------------------------------------
def probe_ble(timeout_s: float = 5.0, *, sys_root: Path = SYS_ROOT) -> ProbeSection:
    """A short scan for meters advertising the health services (bleak, when an adapter exists)."""
    from devices.errors import DeviceError
    from devices.vitals import ble

    ok, why = ble.ble_available()
    if not ok:
        return _cannot(SECTION_BLE, REASON_NO_BLEAK, why)
    if sys.platform.startswith("linux") and not list((sys_root / "class" / "bluetooth").glob("hci*")):
        return _cannot(SECTION_BLE, REASON_NO_BT_ADAPTER, "no /sys/class/bluetooth/hci* device")
    scan_s = max(0.5, timeout_s - 2.0)  # leave time to tear the loop down inside the budget
    transport = ble.BleHealthTransport(device_id="probe")
    try:
        found = transport.scan(timeout_s=scan_s, cancel=_Expiring(timeout_s - 0.5))
    except DeviceError as exc:  # Cancelled here means the adapter did not answer in time
        return _cannot(SECTION_BLE, REASON_BLE_SCAN_FAILED, str(exc))
    finally:
        transport.close()
    items = tuple(
        ProbeItem(meter.address, meter.name or "", details=tuple(d for d in (
            ", ".join(meter.profiles),
            f"RSSI {meter.rssi} dBm" if meter.rssi is not None else "") if d))
        for meter in found
    )
    return ProbeSection(SECTION_BLE, True, items)


# -- USB printers ------------------------------------------------------------------------------------
def probe_usb_printers(timeout_s: float = 5.0, *, sys_root: Path = SYS_ROOT,
                       use_pyusb: bool = True) -> ProbeSection:
    """USB devices with an interface of class 7 (printer): pyusb when installed, else sysfs."""
    if use_pyusb:
        try:
            usb_core = importlib.import_module("usb.core")
        except Exception:  # pyusb is optional: fall back to sysfs
            usb_core = None
        if usb_core is not None:
            try:
                return _usb_printers_pyusb(usb_core)
            except Exception as exc:  # no libusb backend, permission denied
                if not sys.platform.startswith("linux"):
                    return _cannot(SECTION_USB_PRINTERS, REASON_NO_USB_ACCESS,
                                   f"pyusb: {type(exc).__name__}: {exc}")
    devices_dir = sys_root / "bus" / "usb" / "devices"
    if not devices_dir.is_dir():
        return _cannot(SECTION_USB_PRINTERS, REASON_NO_USB_ACCESS,
                       f"pyusb not installed and {devices_dir} does not exist")
    return ProbeSection(SECTION_USB_PRINTERS, True, usb_printers_from_sysfs(devices_dir))


def _usb_printers_pyusb(usb_core: object) -> ProbeSection:
    def is_printer(dev: object) -> bool:
        return any(intf.bInterfaceClass == USB_CLASS_PRINTER
                   for cfg in dev for intf in cfg)  # type: ignore[attr-defined]

    items = []
    for dev in usb_core.find(find_all=True, custom_match=is_printer):  # type: ignore[attr-defined]
        items.append(ProbeItem(f"usb {dev.bus}-{dev.address}", "",
                               _usb_id(dev.idVendor, dev.idProduct)))
    return ProbeSection(SECTION_USB_PRINTERS, True, tuple(items))


def usb_printers_from_sysfs(devices_dir: Path) -> tuple[ProbeItem, ...]:
    """Printers under /sys/bus/usb/devices: interface dirs ("1-1:1.0") whose bInterfaceClass
    is 07, reported once per device ("1-1") with idVendor:idProduct and its strings."""
    found: dict[str, ProbeItem] = {}
    for class_file in sorted(devices_dir.glob("*:*/bInterfaceClass")):
        try:
            if int(class_file.read_text().strip(), 16) != USB_CLASS_PRINTER:
                continue
        except (OSError, ValueError):
            continue
        device_name = class_file.parent.name.split(":")[0]
        device_dir = devices_dir / device_name

        def read(name: str) -> str:
            try:
                return (device_dir / name).read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return ""

        words = " ".join(w for w in (read("manufacturer"), read("product")) if w)
        usb_id = f"{read('idVendor')}:{read('idProduct')}".lower().strip(":")
        found.setdefault(device_name, ProbeItem(f"usb {device_name}", words, usb_id))
    return tuple(found.values())


# -- all sections, each bounded ---------------------------------------------------------------------
Section = Callable[[float], ProbeSection]
DEFAULT_SECTIONS: dict[str, Section] = {
    SECTION_SERIAL: probe_serial,
    SECTION_CAMERAS: probe_cameras,
    SECTION_BLE: probe_ble,
    SECTION_USB_PRINTERS: probe_usb_printers,
}


def probe(*, timeout_s: float = 8.0, sections: dict[str, Section] | None = None) -> ProbeReport:
    """Look at every kind of hardware in parallel (BLOCKING, at most about ``timeout_s``).

    A section that does not finish in time, or fails, is reported with the reason; its
    thread is left to end by itself (daemon) since a stuck driver call cannot be interrupted.
    """
    sections = dict(DEFAULT_SECTIONS if sections is None else sections)
    results: dict[str, ProbeSection] = {}
    threads = []
    for name, run in sections.items():
        def work(name: str = name, run: Section = run) -> None:
            try:
                results[name] = run(timeout_s)
            except Exception as exc:  # one broken section must not hide the others
                log.warning("probe section %s failed: %s: %s", name, type(exc).__name__, exc)
                results[name] = _cannot(name, REASON_FAILED, f"{type(exc).__name__}: {exc}")

        thread = threading.Thread(target=work, name=f"probe-{name}", daemon=True)
        thread.start()
        threads.append((name, thread))
    end_s = time.monotonic() + timeout_s
    for _name, thread in threads:
        thread.join(max(0.0, end_s - time.monotonic()))
    return ProbeReport(tuple(
        results.get(name) or _cannot(name, REASON_TIMED_OUT, seconds=round(timeout_s, 1))
        for name in sections
    ))


__all__ = [
    "ProbeItem", "ProbeReport", "ProbeSection", "SECTION_NAMES", "probe", "probe_ble",
    "probe_cameras", "probe_serial", "probe_usb_printers", "usb_printers_from_sysfs",
]
