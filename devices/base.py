"""What every driver shares: lifecycle, state, prompt handler, one worker per port, wire log."""

from __future__ import annotations

import abc
import concurrent.futures
import logging
import queue
import threading
from typing import Any, Callable, TypeVar

from devices.errors import Cancelled
from devices.state import DeviceState, StateHolder

T = TypeVar("T")


class PromptHandler(abc.ABC):
    """Prompts a device needs from the person in front of it; ui/ implements, tests script it.

    Methods are called from a driver's worker thread and must return quickly (the UI
    implementation re-posts to the Qt thread).
    """

    @abc.abstractmethod
    def prompt(self, key: str, **params: object) -> None:
        """Show and speak the instruction ``key`` (a catalogue message id), e.g. sit still."""

    @abc.abstractmethod
    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        """Report live progress (cuff pressure, countdown); ``fraction`` in 0..1 when known."""


class NullPromptHandler(PromptHandler):
    """Ignores prompts: for technicians' CLI tests and headless use."""

    def prompt(self, key: str, **params: object) -> None:
        pass

    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        pass


class RecordingPromptHandler(PromptHandler):
    """Keeps every prompt and progress call, in order: the scripted handler for tests."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict[str, object]]] = []
        self._lock = threading.Lock()

    def prompt(self, key: str, **params: object) -> None:
        with self._lock:
            self.events.append(("prompt", key, dict(params)))

    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        with self._lock:
            self.events.append(("progress", key, {"fraction": fraction, **params}))

    def keys(self, kind: str | None = None) -> list[str]:
        with self._lock:
            return [k for (t, k, _) in self.events if kind is None or t == kind]


class CancelToken:
    """Set by the caller to stop an operation; drivers check it between I/O steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("operation cancelled")

    def wait(self, timeout_s: float) -> bool:
        """Sleep up to ``timeout_s``; True when cancelled meanwhile."""
        return self._event.wait(timeout_s)


class PortWorker:
    """One thread per shared resource (a serial port, a camera, a printer) running jobs in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.Queue[tuple[Callable[[], Any], concurrent.futures.Future[Any]] | None] = (
            queue.Queue()
        )
        self._thread = threading.Thread(target=self._run, name=f"port-{name}", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._jobs.put((fn, future))
        return future

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            fn, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the caller through the future
                future.set_exception(exc)

    def close(self, timeout_s: float = 5.0) -> None:
        self._jobs.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()


class WireLog:
    """Hex dump of a device's traffic for technicians, on logger ``devices.wire.<device_id>``.

    Never pass personal data here: drivers log protocol bytes of devices, not people's names.
    Payloads of identity QR codes are logged only by length.
    """

    def __init__(self, device_id: str) -> None:
        self.logger = logging.getLogger(f"devices.wire.{device_id}")

    def rx(self, data: bytes) -> None:
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("rx %s", data.hex(" "))

    def tx(self, data: bytes) -> None:
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("tx %s", data.hex(" "))

    def note(self, text: str) -> None:
        self.logger.debug("-- %s", text)


class Driver(abc.ABC):
    """Base of every driver: declares role, id, capabilities; reports one DeviceState."""

    role: str = ""
    driver_id: str = ""
    capabilities: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self.state = StateHolder()
        self.wire = WireLog(f"{self.role}.{self.driver_id}")

    @abc.abstractmethod
    def open(self) -> None:
        """Connect (blocking; call from a worker). Sets READY or ERROR with a reason key."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the device; idempotent. Sets DISCONNECTED."""

    def _set_state(self, state: DeviceState, reason_key: str = "", **params: object) -> None:
        self.state.set(state, reason_key, **params)

    def __enter__(self) -> "Driver":
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
