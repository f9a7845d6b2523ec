"""One asyncio loop on one dedicated thread for every bleak call; callers block with limits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from typing import Any, Coroutine, TypeVar

from devices.base import CancelToken
from devices.errors import Cancelled, DeviceTimeout
from devices.messages import N_

T = TypeVar("T")

TIMEOUT_KEY = N_("vitals.ble.timeout")
_WAIT_SLICE_S = 0.05  # how often a blocked caller looks at its cancel token


class BleLoop:
    """Owns the loop thread. ``run`` is called from worker threads, never from the loop itself."""

    def __init__(self, name: str = "ble") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name=f"ble-loop-{name}", daemon=True)
        self._closed = False
        self._thread.start()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(
                    asyncio.gather(*pending, return_exceptions=True)
                )
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def run(self, coro: Coroutine[Any, Any, T], *, timeout_s: float,
            cancel: CancelToken | None = None) -> T:
        """Run ``coro`` on the loop and wait for it (blocking, from any thread but the loop's).

        Raises DeviceTimeout after ``timeout_s`` and Cancelled when ``cancel`` is set; in both
        cases the coroutine is cancelled on the loop (its ``finally`` blocks still run there).
        Exceptions of the coroutine propagate unchanged.
        """
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("BleLoop.run called from the loop thread: await instead")
        if self._closed:
            coro.close()
            raise RuntimeError("BleLoop is closed")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        deadline_s = time.monotonic() + timeout_s
        while True:
            if cancel is not None and cancel.cancelled:
                future.cancel()
                raise Cancelled("BLE operation cancelled")
            left_s = deadline_s - time.monotonic()
            if left_s <= 0:
                future.cancel()
                raise DeviceTimeout(f"BLE operation exceeded {timeout_s:g} s", key=TIMEOUT_KEY)
            # wait() rather than result(timeout=): a coroutine's own TimeoutError must not be
            # mistaken for this slice running out.
            done, _ = concurrent.futures.wait([future], timeout=min(left_s, _WAIT_SLICE_S))
            if not done:
                continue
            try:
                return future.result()
            except concurrent.futures.CancelledError:
                raise Cancelled("BLE operation cancelled on the loop") from None

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the loop (pending tasks are cancelled) and join the thread; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()
