"""ReceiptPrinter: the printer driver; checks status, renders and sends jobs on its own PortWorker."""

from __future__ import annotations

import concurrent.futures
import threading
from dataclasses import dataclass

from devices.base import CancelToken, Driver, PortWorker
from devices.errors import Cancelled, DeviceError
from devices.messages import N_
from devices.printer.document import ReceiptDocument
from devices.printer.render import ReceiptRenderer
from devices.printer.status import STATUS_QUERIES, PrinterFault, PrinterStatus, decode_status, status_request
from devices.printer.transports import PrinterTransport
from devices.state import DeviceState


@dataclass(frozen=True)
class PrintResult:
    """What happened to a job: bytes sent, status before and after, warning message keys."""

    bytes_sent: int
    status_before: PrinterStatus
    status_after: PrinterStatus
    warnings: tuple[str, ...] = ()


class ReceiptPrinter(Driver):
    """An ESC/POS receipt printer on one transport, with one worker thread for all its I/O.

    ``print``/``status``/``open`` block the caller until the worker is done: call them from a
    worker or use the ``*_async`` forms, which return a Future, from the UI side.
    """

    role = "printer"

    def __init__(self, transport: PrinterTransport, *, paper_mm: int = 58, profile: str = "default",
                 native_qr: bool | None = None, status_timeout_s: float = 1.0, chunk_bytes: int = 1024) -> None:
        self.driver_id = transport.transport_id
        super().__init__()
        self.transport = transport
        self.renderer = ReceiptRenderer(paper_mm, profile, native_qr)
        self.status_timeout_s = status_timeout_s
        self.chunk_bytes = chunk_bytes
        caps = {"print", "cut", "cjk", "qr", "native_qr" if self.renderer.native_qr else "image_qr"}
        if transport.can_read_status:
            caps.add("status")
        self.capabilities = frozenset(caps)
        self._opened = False
        self._worker: PortWorker | None = PortWorker(f"printer-{self.driver_id}")
        self._worker_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------

    def _submit(self, fn):  # type: ignore[no-untyped-def]
        with self._worker_lock:
            if self._worker is None:
                raise DeviceError("printer is closed", key=N_("printer.closed"))
            return self._worker.submit(fn)

    def open(self) -> None:
        """Connect the transport (blocks until the worker did it). READY, or ERROR and raises."""
        self._submit(self._open_on_worker).result()

    def _open_on_worker(self) -> None:
        if self._opened:
            return
        self._set_state(DeviceState.CONNECTING)
        try:
            self.transport.open()
        except DeviceError as exc:
            self._set_state(DeviceState.ERROR, exc.key, **exc.params)
            raise
        self._opened = True
        self._set_state(DeviceState.READY)

    def close(self) -> None:
        """Finish queued jobs, close the transport, stop the worker. Idempotent."""
        with self._worker_lock:
            worker, self._worker = self._worker, None
        if worker is None:
            return
        worker.submit(self._close_on_worker)
        worker.close()
        self._set_state(DeviceState.DISCONNECTED)

    def _close_on_worker(self) -> None:
        self.transport.close()
        self._opened = False

    # -- status ------------------------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """Ask the printer now (blocks; UNKNOWN when the transport cannot read)."""
        return self.status_async().result()

    def status_async(self) -> concurrent.futures.Future[PrinterStatus]:
        return self._submit(self._status_on_worker)

    def _status_on_worker(self) -> PrinterStatus:
        self._open_on_worker()
        try:
            status = self._query_status()
        except DeviceError as exc:
            self._fail(exc)
            raise
        if status.blocks_printing:
            self._set_state(DeviceState.ERROR, status.key)
        elif status is PrinterStatus.NEAR_END:
            self._set_state(DeviceState.READY, status.key)
        else:
            self._set_state(DeviceState.READY)
        return status

    def _fail(self, exc: DeviceError) -> None:
        # Reconnect on the next call: an unplugged USB printer comes back with a new handle.
        self.transport.close()
        self._opened = False
        self._set_state(DeviceState.ERROR, exc.key, **exc.params)

    def _query_status(self) -> PrinterStatus:
        if not self.transport.can_read_status:
            return PrinterStatus.UNKNOWN
        replies: dict[int, bytes | None] = {}
        for n in STATUS_QUERIES:
            request = status_request(n)
            self.wire.tx(request)
            reply = self.transport.query_status(request, self.status_timeout_s)
            if reply:
                self.wire.rx(reply)
            replies[n] = reply
        return decode_status(replies)

    # -- printing ----------------------------------------------------------------------------

    def render(self, doc: ReceiptDocument) -> bytes:
        """The job's ESC/POS bytes for this printer's paper and profile (pure; any thread)."""
        return self.renderer.render(doc)

    def print(self, doc: ReceiptDocument, cancel: CancelToken | None = None) -> PrintResult:
        """Print ``doc`` and wait. Raises PrinterFault before sending anything when the printer
        reports paper out, cover open or offline; Cancelled; DeviceError from the transport."""
        return self.print_async(doc, cancel).result()

    def print_async(self, doc: ReceiptDocument,
                    cancel: CancelToken | None = None) -> concurrent.futures.Future[PrintResult]:
        return self._submit(lambda: self._print_on_worker(doc, cancel or CancelToken()))

    def _print_on_worker(self, doc: ReceiptDocument, cancel: CancelToken) -> PrintResult:
        self._open_on_worker()
        cancel.raise_if_cancelled()
        try:
            before = self._query_status()
        except DeviceError as exc:
            self._fail(exc)
            raise
        if before.blocks_printing:
            self._set_state(DeviceState.ERROR, before.key)
            raise PrinterFault(before)
        data = self.render(doc)  # here, not in the caller: an image QR takes ~10 ms to rasterise
        self._set_state(DeviceState.BUSY, N_("printer.printing"))
        # Receipt text may name a resident: the wire log gets the length, never the content.
        self.wire.note(f"job of {len(data)} bytes")
        sent = 0
        try:
            while sent < len(data):
                cancel.raise_if_cancelled()
                chunk = data[sent : sent + self.chunk_bytes]
                self.transport.write(chunk)
                sent += len(chunk)
        except Cancelled:
            self.wire.note(f"job cancelled after {sent} bytes")
            self._set_state(DeviceState.READY)
            raise
        except DeviceError as exc:
            self._fail(exc)
            raise
        try:
            after = self._query_status()
        except DeviceError as exc:  # the job went out; only the check after it failed
            self._fail(exc)
            return PrintResult(sent, before, PrinterStatus.UNKNOWN, (exc.key,))
        warnings: tuple[str, ...] = ()
        if after.blocks_printing:
            warnings = (after.key,)
            self._set_state(DeviceState.ERROR, after.key)
        elif after is PrinterStatus.NEAR_END:
            warnings = (after.key,)
            self._set_state(DeviceState.READY, after.key)
        else:
            self._set_state(DeviceState.READY)
        return PrintResult(sent, before, after, warnings)
