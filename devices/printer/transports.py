"""Raw byte transports for receipt printers on python-escpos: usb, serial, network, file, dummy."""

from __future__ import annotations

import abc
import socket
from typing import Any

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy, File, Network

from devices.errors import DeviceDisconnected, DeviceTimeout, DeviceUnavailable
from devices.messages import N_


class PrinterTransport(abc.ABC):
    """Raw I/O to one printer. Every method is called from the printer's PortWorker thread."""

    transport_id: str = ""
    can_read_status: bool = False

    @abc.abstractmethod
    def open(self) -> None:
        """Connect. Raises DeviceUnavailable (key ``printer.not_found``) when it is not there."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; idempotent; never raises."""

    @abc.abstractmethod
    def write(self, data: bytes) -> None:
        """Send ``data``. Raises DeviceTimeout or DeviceDisconnected (key ``printer.write_failed``)."""

    def query_status(self, request: bytes, timeout_s: float) -> bytes | None:
        """Send a real-time status request and return the reply bytes (b"" on time-out).

        Returns None, sending nothing, when this transport cannot read: callers then report
        the status as unknown rather than ok.
        """
        return None


class EscposTransport(PrinterTransport):
    """A transport over a python-escpos printer object, which does the raw I/O."""

    def __init__(self) -> None:
        self.escpos: Escpos | None = None

    @abc.abstractmethod
    def _make(self) -> Escpos:
        """Build the (unopened) python-escpos printer object."""

    def _describe(self) -> str:
        return self.transport_id

    def open(self) -> None:
        self.close()
        printer = self._make()
        try:
            printer.open()
        except (DeviceNotFoundError, OSError, RuntimeError) as exc:
            raise DeviceUnavailable(
                f"{self._describe()}: {exc}", key=N_("printer.not_found")
            ) from None
        self.escpos = printer
        self._after_open()

    def _after_open(self) -> None:
        """Hook for transport settings python-escpos does not expose (write time-outs)."""

    def close(self) -> None:
        printer, self.escpos = self.escpos, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a vanished device may fail in many ways; it is gone anyway
                pass

    def _printer(self) -> Escpos:
        if self.escpos is None:
            raise DeviceDisconnected(f"{self._describe()} is not open", key=N_("printer.write_failed"))
        return self.escpos

    def _io_error(self, exc: Exception) -> DeviceTimeout | DeviceDisconnected:
        # pyusb, pyserial and socket errors share no base class; their time-outs share a name.
        detail = f"{self._describe()}: {exc}"
        if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
            return DeviceTimeout(detail, key=N_("printer.write_failed"))
        return DeviceDisconnected(detail, key=N_("printer.write_failed"))

    def write(self, data: bytes) -> None:
        printer = self._printer()
        try:
            printer._raw(data)
        except Exception as exc:
            raise self._io_error(exc) from None

    def query_status(self, request: bytes, timeout_s: float) -> bytes | None:
        if not self.can_read_status:
            return None
        self._discard_input()
        self.write(request)
        try:
            return self._read_reply(timeout_s)
        except Exception as exc:
            error = self._io_error(exc)
            if isinstance(error, DeviceTimeout):
                return b""
            raise error from None

    def _discard_input(self) -> None:
        """Drop bytes that arrived unasked (automatic status back), so a reply is ours."""

    def _read_reply(self, timeout_s: float) -> bytes:
        """Read one reply, waiting at most ``timeout_s``."""
        return b""


class UsbTransport(EscposTransport):
    transport_id = "usb"
    can_read_status = True

    def __init__(self, vendor_id: int, product_id: int, *, timeout_s: float = 5.0,
                 in_ep: int = 0x82, out_ep: int = 0x01) -> None:
        super().__init__()
        self.vendor_id, self.product_id = int(vendor_id), int(product_id)
        self.timeout_s, self.in_ep, self.out_ep = timeout_s, in_ep, out_ep

    def _describe(self) -> str:
        return f"usb {self.vendor_id:04x}:{self.product_id:04x}"

    def _make(self) -> Escpos:
        from escpos.printer import Usb, usb as escpos_usb

        # Checked first: a Usb object built without pyusb raises from __del__ when collected.
        if not escpos_usb.is_usable():
            raise DeviceUnavailable("USB printing needs pyusb (pip install pyusb) and libusb")
        return Usb(self.vendor_id, self.product_id, timeout=int(self.timeout_s * 1000),
                   in_ep=self.in_ep, out_ep=self.out_ep)

    def _read_reply(self, timeout_s: float) -> bytes:
        device: Any = self._printer().device
        return bytes(device.read(self.in_ep, 16, int(timeout_s * 1000)))


class SerialTransport(EscposTransport):
    transport_id = "serial"
    can_read_status = True

    def __init__(self, port: str, baudrate: int = 9600, *, timeout_s: float = 5.0,
                 dsrdtr: bool = True) -> None:
        super().__init__()
        self.port, self.baudrate, self.timeout_s, self.dsrdtr = port, int(baudrate), timeout_s, dsrdtr

    def _describe(self) -> str:
        return f"serial {self.port}"

    def _make(self) -> Escpos:
        from escpos.printer import Serial

        return Serial(devfile=self.port, baudrate=self.baudrate, timeout=self.timeout_s, dsrdtr=self.dsrdtr)

    def _after_open(self) -> None:
        # python-escpos leaves write_timeout unset: a printer holding DSR low (busy) would block
        # the worker for ever.
        self._printer().device.write_timeout = self.timeout_s

    def _discard_input(self) -> None:
        self._printer().device.reset_input_buffer()

    def _read_reply(self, timeout_s: float) -> bytes:
        device: Any = self._printer().device
        device.timeout = timeout_s
        try:
            return bytes(device.read(1))  # escpos' _read asks for 16 and so always waits
        finally:
            device.timeout = self.timeout_s


class NetworkTransport(EscposTransport):
    transport_id = "network"
    can_read_status = True

    def __init__(self, host: str, port: int = 9100, *, timeout_s: float = 10.0) -> None:
        super().__init__()
        self.host, self.port, self.timeout_s = host, int(port), timeout_s

    def _describe(self) -> str:
        return f"network {self.host}:{self.port}"

    def _make(self) -> Escpos:
        return Network(self.host, self.port, timeout=self.timeout_s)

    def _read_reply(self, timeout_s: float) -> bytes:
        sock: socket.socket = self._printer().device  # type: ignore[assignment]
        sock.settimeout(timeout_s)
        try:
            return sock.recv(1)
        except (TimeoutError, socket.timeout):
            return b""
        finally:
            sock.settimeout(self.timeout_s)


class FileTransport(EscposTransport):
    """A device file such as /dev/usb/lp0; write-only, so status is always unknown."""

    transport_id = "file"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def _describe(self) -> str:
        return f"file {self.path}"

    def _make(self) -> Escpos:
        return File(self.path)


class DummyTransport(EscposTransport):
    """The dummy printer twin: python-escpos Dummy collecting every byte; cannot report status."""

    transport_id = "dummy"

    def __init__(self) -> None:
        super().__init__()
        self._dummy = Dummy()

    def _make(self) -> Escpos:
        return self._dummy

    @property
    def output(self) -> bytes:
        """Every byte written since creation or the last ``clear()``."""
        return self._dummy.output

    def clear(self) -> None:
        self._dummy.clear()
