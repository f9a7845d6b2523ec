"""Base of every QR scanner driver: listeners, repeat filter, one worker thread, retry backoff."""

from __future__ import annotations

import abc
import logging
import threading
import time
from typing import Callable

from devices.base import CancelToken, Driver
from devices.scanner.pacing import Clock, RepeatFilter
from devices.scanner.result import ProblemListener, ScanListener, ScanProblem, ScanResult
from devices.state import DeviceState

log = logging.getLogger(__name__)


class Backoff:
    """Retry delays that double from ``initial_s`` up to ``max_s``; reset after a success."""

    def __init__(self, initial_s: float = 0.5, max_s: float = 10.0) -> None:
        self.initial_s = initial_s
        self.max_s = max_s
        self._next_s = initial_s

    def next_s(self) -> float:
        delay_s = self._next_s
        self._next_s = min(self.max_s, self._next_s * 2)
        return delay_s

    def reset(self) -> None:
        self._next_s = self.initial_s


class Scanner(Driver):
    """A QR scanner: open() starts its worker, listeners get ScanResult on that worker thread.

    Listeners must return quickly (the UI bridge re-posts to the Qt thread). A listener that
    raises is logged and does not stop the scanner.
    """

    role = "scanner"
    capabilities = frozenset({"scan"})

    def __init__(self, repeat_window_s: float = 2.0, clock: Clock = time.monotonic,
                 retry_initial_s: float = 0.5, retry_max_s: float = 10.0) -> None:
        super().__init__()
        self.clock = clock
        self.repeats = RepeatFilter(repeat_window_s, clock)
        self.backoff = Backoff(retry_initial_s, retry_max_s)
        self._listeners: list[ScanListener] = []
        self._problem_listeners: list[ProblemListener] = []
        self._lock = threading.Lock()
        self._token = CancelToken()
        self._thread: threading.Thread | None = None

    # -- listeners ------------------------------------------------------------------------
    def subscribe(self, listener: ScanListener) -> Callable[[], None]:
        """Call ``listener(result)`` on the worker thread for each new scan; returns unsubscribe."""
        return self._add(self._listeners, listener)

    def subscribe_problems(self, listener: ProblemListener) -> Callable[[], None]:
        """Call ``listener(problem)`` for scans that arrived garbled, too long or cut off."""
        return self._add(self._problem_listeners, listener)

    def _add(self, where: list, listener: Callable) -> Callable[[], None]:
        with self._lock:
            where.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in where:
                    where.remove(listener)

        return unsubscribe

    def _emit(self, result: ScanResult) -> bool:
        """Deliver ``result`` unless it repeats a recent one; True when delivered."""
        if not self.repeats.accept(result.raw):
            return False
        self.wire.note(f"scan {result.symbology} {len(result.raw)} bytes via {result.source}")
        self._call_all(self._listeners, result)
        return True

    def _report_problem(self, problem: ScanProblem) -> None:
        self.wire.note(f"problem {problem.reason_key} ({problem.length} bytes)")
        self._call_all(self._problem_listeners, problem)

    def _call_all(self, where: list, item: object) -> None:
        with self._lock:
            listeners = list(where)
        for listener in listeners:
            try:
                listener(item)
            except Exception:  # one broken listener must not stop scanning for the others
                log.exception("scanner listener %r failed", listener)

    # -- lifecycle ------------------------------------------------------------------------
    def open(self) -> None:
        """Start the worker thread (returns at once); state goes CONNECTING, then READY/ERROR."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._token = CancelToken()
            self._thread = threading.Thread(target=self._run_guarded, args=(self._token,),
                                            name=f"scanner-{self.driver_id}", daemon=True)
        self._set_state(DeviceState.CONNECTING, "scanner.connecting")
        self._thread.start()

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop the worker and release the device; idempotent, returns within ~``timeout_s``."""
        with self._lock:
            thread, self._thread = self._thread, None
        self._token.cancel()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)
            if thread.is_alive():
                log.warning("scanner %s worker still blocked after %.1f s; left to exit",
                            self.driver_id, timeout_s)
        self._set_state(DeviceState.DISCONNECTED, "scanner.stopped")

    start = open
    stop = close

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _run_guarded(self, token: CancelToken) -> None:
        try:
            self._run(token)
        except Exception:  # a bug in the loop must surface as a state, not a silent dead thread
            log.exception("scanner %s worker crashed", self.driver_id)
            self._set_state(DeviceState.ERROR, "scanner.failed")

    @abc.abstractmethod
    def _run(self, token: CancelToken) -> None:
        """The worker loop: open the device, read, emit; retry with ``self.backoff`` on loss.

        Runs on the worker thread until ``token`` is cancelled; must check it at least every
        ~0.2 s and release the device before returning.
        """
