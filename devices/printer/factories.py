"""Build a ReceiptPrinter from configuration options, one factory per registered driver id."""

from __future__ import annotations

from devices.printer.printer import ReceiptPrinter
from devices.printer.sim import SimTransport
from devices.printer.status import PrinterStatus
from devices.printer.transports import (
    DummyTransport,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    UsbTransport,
)


def _int(value: int | str) -> int:
    """USB ids come from TOML as 0x0416 (int) or "0x0416" / "0416" (text: hexadecimal)."""
    if isinstance(value, int):
        return value
    text = value.strip().lower()
    return int(text, 0) if text.startswith("0x") else int(text, 16)


def usb_printer(vendor_id: int | str, product_id: int | str, *, paper_mm: int = 58,
                profile: str = "default", native_qr: bool | None = None, timeout_s: float = 5.0,
                in_ep: int = 0x82, out_ep: int = 0x01) -> ReceiptPrinter:
    transport = UsbTransport(_int(vendor_id), _int(product_id), timeout_s=timeout_s, in_ep=in_ep, out_ep=out_ep)
    return ReceiptPrinter(transport, paper_mm=paper_mm, profile=profile, native_qr=native_qr)


def serial_printer(port: str, baudrate: int = 9600, *, paper_mm: int = 58, profile: str = "default",
                   native_qr: bool | None = None, timeout_s: float = 5.0, dsrdtr: bool = True) -> ReceiptPrinter:
    transport = SerialTransport(port, baudrate, timeout_s=timeout_s, dsrdtr=dsrdtr)
    return ReceiptPrinter(transport, paper_mm=paper_mm, profile=profile, native_qr=native_qr)


def network_printer(host: str, port: int = 9100, *, paper_mm: int = 58, profile: str = "default",
                    native_qr: bool | None = None, timeout_s: float = 10.0) -> ReceiptPrinter:
    transport = NetworkTransport(host, port, timeout_s=timeout_s)
    return ReceiptPrinter(transport, paper_mm=paper_mm, profile=profile, native_qr=native_qr)


def file_printer(path: str = "/dev/usb/lp0", *, paper_mm: int = 58, profile: str = "default",
                 native_qr: bool | None = None) -> ReceiptPrinter:
    return ReceiptPrinter(FileTransport(path), paper_mm=paper_mm, profile=profile, native_qr=native_qr)


def dummy_printer(*, paper_mm: int = 58, profile: str = "default",
                  native_qr: bool | None = None) -> ReceiptPrinter:
    return ReceiptPrinter(DummyTransport(), paper_mm=paper_mm, profile=profile, native_qr=native_qr)


def sim_printer(*, paper_mm: int = 58, profile: str = "default", native_qr: bool | None = None,
                fault: str = "ok", paper_lines: int | None = None, near_end_lines: int = 20) -> ReceiptPrinter:
    transport = SimTransport(fault=PrinterStatus(fault), paper_lines=paper_lines, near_end_lines=near_end_lines)
    return ReceiptPrinter(transport, paper_mm=paper_mm, profile=profile, native_qr=native_qr)
