"""Serial (USB-COM mode) QR scanner on pyserial: CR/LF lines, reconnect when the port goes away."""

from __future__ import annotations

import logging
import time

from devices.base import CancelToken
from devices.messages import N_
from devices.scanner.base import Scanner
from devices.scanner.pacing import Clock
from devices.scanner.result import ScanProblem, ScanResult
from devices.scanner.serial_lines import Line, LineSplitter, Rejected
from devices.state import DeviceState

log = logging.getLogger(__name__)


class SerialScanner(Scanner):
    """Reads scans from ``port`` (e.g. /dev/ttyACM0, COM3, a /dev/serial/by-id link).

    Symbology is "unknown": a scanner in USB-COM mode sends only the content. Lines over
    ``max_line_bytes``, garbled or cut off by an unplug are reported to problem listeners.
    """

    driver_id = "serial"

    def __init__(self, port: str, baudrate: int = 9600, max_line_bytes: int = 512,
                 repeat_window_s: float = 2.0, read_timeout_s: float = 0.1,
                 retry_initial_s: float = 0.5, retry_max_s: float = 10.0,
                 clock: Clock = time.monotonic) -> None:
        super().__init__(repeat_window_s, clock, retry_initial_s, retry_max_s)
        self.port = port
        self.baudrate = baudrate
        self.read_timeout_s = read_timeout_s
        self.splitter = LineSplitter(max_line_bytes)
        self.opens = 0

    def _run(self, token: CancelToken) -> None:
        import serial

        while not token.cancelled:
            self._set_state(DeviceState.CONNECTING, "scanner.connecting")
            try:
                port = serial.Serial(self.port, self.baudrate, timeout=self.read_timeout_s)
            except (serial.SerialException, OSError) as exc:
                log.info("serial scanner: cannot open %s: %s", self.port, exc)
                self._set_state(DeviceState.ERROR, N_("scanner.port_not_found"), port=self.port)
                token.wait(self.backoff.next_s())
                continue
            self.opens += 1
            self.backoff.reset()
            self._set_state(DeviceState.READY, "scanner.ready")
            try:
                self._read_until_lost(port, token)
            except (serial.SerialException, OSError) as exc:
                log.warning("serial scanner: %s lost: %s", self.port, exc)
                self._deliver([self.splitter.flush()])
                self._set_state(DeviceState.ERROR, N_("scanner.port_lost"), port=self.port)
                token.wait(self.backoff.next_s())
            finally:
                port.close()
        self.splitter.flush()

    def _read_until_lost(self, port, token: CancelToken) -> None:  # noqa: ANN001 - serial.Serial
        while not token.cancelled:
            data = port.read(max(1, port.in_waiting))  # b"" after read_timeout_s of silence
            if data:
                self.wire.note(f"rx {len(data)} bytes")  # content may be an identity token
                self._deliver(self.splitter.feed(data))

    def _deliver(self, events: list[Line | Rejected | None]) -> None:
        for event in events:
            if isinstance(event, Line):
                self._emit(ScanResult.from_raw(event.raw, "unknown", "serial"))
            elif isinstance(event, Rejected):
                self._report_problem(ScanProblem(event.reason_key, event.length, "serial"))

    @property
    def pending_bytes(self) -> int:
        """Bytes of a line received but not yet terminated."""
        return self.splitter.pending_bytes
