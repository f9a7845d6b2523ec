"""ReceiptPrinter on its worker: sim faults, device state, cancellation, registry, file transport."""

from __future__ import annotations

import threading

import pytest

from devices import registry
from devices.base import CancelToken
from devices.errors import Cancelled, DeviceDisconnected, DeviceError, DeviceUnavailable
from devices.printer.document import ReceiptDocument
from devices.printer.printer import ReceiptPrinter
from devices.printer.sim import SimTransport
from devices.printer.status import PrinterFault, PrinterStatus
from devices.printer.test_page import test_page
from devices.printer.transports import DummyTransport, FileTransport, UsbTransport
from devices.state import DeviceState


@pytest.fixture
def make_printer():
    printers: list[ReceiptPrinter] = []

    def make(driver_id: str = "sim", **options) -> ReceiptPrinter:
        printer = registry.create("printer", driver_id, **options)
        printers.append(printer)
        return printer

    yield make
    for printer in printers:
        printer.close()


def test_every_transport_is_registered_under_role_printer():
    ids = {info.driver_id for info in registry.drivers("printer")}
    assert ids == {"usb", "serial", "network", "file", "dummy", "sim"}
    assert {i.driver_id for i in registry.drivers("printer") if i.simulated} == {"dummy", "sim"}
    for info in registry.drivers("printer"):
        assert {"paper_mm", "profile", "native_qr"} <= {o.name for o in info.options}


def test_usb_availability_names_what_is_missing():
    ok, why = registry.get("printer", "usb").usable()
    try:
        import usb.core  # noqa: F401
    except ImportError:
        assert not ok and "pyusb" in why
    else:
        assert ok or "libusb" in why


@pytest.mark.parametrize(
    ("fault", "key"),
    [("paper_out", "printer.paper_out"), ("cover_open", "printer.cover_open"), ("offline", "printer.offline")],
)
def test_fault_before_printing_refuses_with_key_and_prints_nothing(make_printer, fault, key):
    printer = make_printer(fault=fault)
    with pytest.raises(PrinterFault) as info:
        printer.print(test_page(58))
    assert info.value.key == key
    assert isinstance(info.value, DeviceError)
    assert printer.transport.output == b""
    assert printer.transport.sim.queries == [1, 2, 4]
    assert printer.state.report.state is DeviceState.ERROR
    assert printer.state.report.reason_key == key


def test_paper_near_end_after_printing_is_reported_as_a_warning(make_printer):
    printer = make_printer(paper_lines=30, near_end_lines=25)
    result = printer.print(test_page(58))
    assert result.status_before is PrinterStatus.OK
    assert result.status_after is PrinterStatus.NEAR_END
    assert result.warnings == ("printer.paper_near_end",)
    assert printer.transport.output.count(b"\n") >= 5
    assert printer.state.report.state is DeviceState.READY
    assert printer.state.report.reason_key == "printer.paper_near_end"


def test_paper_running_out_during_the_job_is_reported_and_blocks_the_next(make_printer):
    printer = make_printer(paper_lines=8, near_end_lines=2)
    result = printer.print(test_page(58))
    assert result.status_after is PrinterStatus.PAPER_OUT
    assert result.warnings == ("printer.paper_out",)
    assert printer.state.report.state is DeviceState.ERROR
    with pytest.raises(PrinterFault):
        printer.print(test_page(58))


def test_fault_cleared_by_staff_lets_printing_resume(make_printer):
    printer = make_printer(fault="cover_open")
    with pytest.raises(PrinterFault):
        printer.print(ReceiptDocument().text("a"))
    printer.transport.sim.set_fault(PrinterStatus.OK)
    assert printer.status() is PrinterStatus.OK
    assert printer.state.report.state is DeviceState.READY
    assert printer.print(ReceiptDocument().text("a")).status_after is PrinterStatus.OK


def test_silent_printer_prints_with_status_unknown(make_printer):
    printer = make_printer(fault="unknown")
    result = printer.print(ReceiptDocument().text("a"))
    assert result.status_before is PrinterStatus.UNKNOWN
    assert printer.transport.output.endswith(b"a\n")


def test_states_go_connecting_ready_busy_ready_while_printing(make_printer):
    printer = make_printer()
    seen: list[tuple[DeviceState, str]] = []
    printer.state.subscribe(lambda report: seen.append((report.state, report.reason_key)))
    printer.print(ReceiptDocument().text("a"))
    assert seen == [
        (DeviceState.CONNECTING, ""),
        (DeviceState.READY, ""),
        (DeviceState.BUSY, "printer.printing"),
        (DeviceState.READY, ""),
    ]


def test_print_async_runs_on_the_printer_worker_and_close_stops_it(make_printer):
    printer = make_printer()
    future = printer.print_async(ReceiptDocument().text("a"))
    assert future.result(timeout=5).bytes_sent > 0
    workers = [t for t in threading.enumerate() if t.name == "port-printer-sim"]
    assert len(workers) == 1
    printer.close()
    assert not workers[0].is_alive()
    assert printer.state.report.state is DeviceState.DISCONNECTED
    with pytest.raises(DeviceError):
        printer.print(ReceiptDocument().text("a"))


def test_cancel_before_start_sends_nothing(make_printer):
    printer = make_printer()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        printer.print(test_page(58), token)
    assert printer.transport.output == b""


class _CancellingTransport(DummyTransport):
    """Cancels the job's token once the first chunk went out, like a person pressing cancel."""

    def __init__(self, token: CancelToken) -> None:
        super().__init__()
        self.token = token

    def write(self, data: bytes) -> None:
        super().write(data)
        self.token.cancel()


def test_cancel_during_a_job_stops_between_chunks():
    token = CancelToken()
    printer = ReceiptPrinter(_CancellingTransport(token), chunk_bytes=16)
    try:
        with pytest.raises(Cancelled):
            printer.print(test_page(58), token)
        assert len(printer.transport.output) == 16
        assert printer.state.report.state is DeviceState.READY
    finally:
        printer.close()


def test_file_transport_writes_the_job_and_reports_unknown_status(tmp_path, make_printer):
    path = tmp_path / "lp0"
    printer = make_printer("file", path=str(path), paper_mm=80)
    result = printer.print(test_page(80))
    printer.close()
    assert path.read_bytes() == printer.render(test_page(80))
    assert result.status_after is PrinterStatus.UNKNOWN
    assert "status" not in printer.capabilities


def test_missing_device_file_is_not_found_error_state(tmp_path):
    printer = ReceiptPrinter(FileTransport(str(tmp_path / "no" / "lp0")))
    try:
        with pytest.raises(DeviceUnavailable) as info:
            printer.print(ReceiptDocument().text("a"))
        assert info.value.key == "printer.not_found"
        assert printer.state.report == printer.state.report.__class__(DeviceState.ERROR, "printer.not_found")
    finally:
        printer.close()


def test_absent_usb_printer_is_unavailable_not_a_crash():
    printer = ReceiptPrinter(UsbTransport(0xFFFE, 0xFFFE, timeout_s=0.5))
    try:
        with pytest.raises(DeviceUnavailable) as info:
            printer.open()
        pyusb_present = registry.get("printer", "usb").usable()[0]
        assert info.value.key == ("printer.not_found" if pyusb_present else "device.unavailable")
        assert printer.state.report.state is DeviceState.ERROR
    finally:
        printer.close()


def test_bad_options_are_device_errors_with_keys():
    with pytest.raises(DeviceError) as info:
        registry.create("printer", "dummy", paper_mm=76)
    assert info.value.key == "printer.paper_width_unsupported"
    with pytest.raises(DeviceError) as info:
        registry.create("printer", "dummy", profile="no-such-printer")
    assert info.value.key == "printer.profile_unknown"


def test_sim_transport_keeps_status_requests_out_of_the_printed_bytes():
    transport = SimTransport(fault=PrinterStatus.NEAR_END)
    transport.open()
    assert transport.query_status(b"\x10\x04\x04", 0.1) == b"\x1e"
    assert transport.query_status(b"\x10\x04\x01", 0.1) == b"\x12"
    transport.write(b"abc")
    assert transport.output == b"abc"
    transport.close()


class _FlakyTransport(DummyTransport):
    """Fails the first ``failures`` writes, like a USB cable pulled mid-job."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        super().open()

    def write(self, data: bytes) -> None:
        if self.failures:
            self.failures -= 1
            raise DeviceDisconnected("cable pulled", key="printer.write_failed")
        super().write(data)


def test_write_failure_sets_error_and_the_next_job_reconnects():
    transport = _FlakyTransport(failures=1)
    printer = ReceiptPrinter(transport)
    try:
        with pytest.raises(DeviceDisconnected):
            printer.print(ReceiptDocument().text("a"))
        assert printer.state.report.state is DeviceState.ERROR
        assert printer.state.report.reason_key == "printer.write_failed"
        printer.print(ReceiptDocument().text("a"))
        assert transport.opens == 2
        assert transport.output.endswith(b"a\n")
        assert printer.state.report.state is DeviceState.READY
    finally:
        printer.close()
