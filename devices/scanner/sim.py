"""Fake scanner twin "sim": plays payloads or image files (through the real decoders) on a schedule."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from devices.base import CancelToken
from devices.messages import N_
from devices.scanner.base import Scanner
from devices.scanner.decoders import DEFAULT_FORMATS, Decoder, make_decoder
from devices.scanner.pacing import Clock
from devices.scanner.result import ScanResult
from devices.state import DeviceState

Item = tuple[str, object]  # ("payload", str) or ("image", path or array)


class SimScanner(Scanner):
    """Scripted scanner for demos and tests, chosen by config like the real drivers.

    ``payloads`` are delivered as QR contents; ``images`` (paths) are decoded by ``decoder``.
    Payloads play first, then images, one every ``interval_s`` after ``start_delay_s``
    (``loop`` repeats). Fault injection: after ``fail_after`` items the camera "goes away"
    (ERROR ``scanner.camera_lost``) for ``recover_after_s``; :meth:`inject_fault` and
    :meth:`recover` do it on demand; :meth:`play` and :meth:`play_image` scan at once.
    """

    driver_id = "sim"
    capabilities = frozenset({"scan", "simulated"})
    poll_s = 0.02

    def __init__(self, payloads: Sequence[str] = (), images: Sequence[str] = (),
                 interval_s: float = 1.0, start_delay_s: float = 0.0, loop: bool = False,
                 decoder: str | Decoder = "auto", formats: Iterable[str] = DEFAULT_FORMATS,
                 fail_after: int | None = None, recover_after_s: float = 3.0,
                 repeat_window_s: float = 2.0, clock: Clock = time.monotonic) -> None:
        super().__init__(repeat_window_s, clock)
        self.schedule: list[Item] = [("payload", p) for p in payloads]
        self.schedule += [("image", Path(p)) for p in images]
        self.interval_s = interval_s
        self.start_delay_s = start_delay_s
        self.loop = loop
        self.fail_after = fail_after
        self.recover_after_s = recover_after_s
        self._decoder_choice = decoder
        self._formats = tuple(formats)
        self._decoder = decoder if isinstance(decoder, Decoder) else None
        if images and self._decoder is None:
            self._decoder = make_decoder(decoder, self._formats)  # fail at config time
        self._now: queue.Queue[Item] = queue.Queue()
        self._fault = threading.Event()
        self._fault_key = N_("scanner.camera_lost")
        self.played = 0

    def play(self, payload: str) -> None:
        """Scan ``payload`` as soon as the worker runs (any thread)."""
        self._now.put(("payload", payload))

    def play_image(self, image: str | Path | np.ndarray) -> None:
        """Decode ``image`` (a path or a grey array) with the real decoder and deliver its codes."""
        self._now.put(("image", image))

    def inject_fault(self, reason_key: str = N_("scanner.camera_lost")) -> None:
        """Make the fake camera disappear until :meth:`recover` (any thread)."""
        self._fault_key = reason_key
        self._fault.set()

    def recover(self) -> None:
        self._fault.clear()

    @property
    def queued(self) -> int:
        """Items from play()/play_image() not yet handled (dropped while a fault lasts)."""
        return self._now.qsize()

    def _run(self, token: CancelToken) -> None:
        self._set_state(DeviceState.READY, "scanner.ready")
        next_due_s = self.clock() + self.start_delay_s
        index = 0
        fault_until_s: float | None = None
        while not token.cancelled:
            if fault_until_s is not None and self.clock() >= fault_until_s:
                fault_until_s = None
                self.recover()
            if self._fault.is_set():
                self._set_state(DeviceState.ERROR, self._fault_key)
                self._drain()  # a gone camera sees nothing
                token.wait(self.poll_s)
                continue
            self._set_state(DeviceState.READY, "scanner.ready")
            try:
                self._handle(self._now.get(timeout=self.poll_s))
            except queue.Empty:
                pass
            if self.schedule and self.clock() >= next_due_s and (self.loop or index < len(self.schedule)):
                self._handle(self.schedule[index % len(self.schedule)])
                index += 1
                next_due_s += self.interval_s
                if self.fail_after is not None and index == self.fail_after:
                    self.inject_fault()
                    fault_until_s = self.clock() + self.recover_after_s

    def _handle(self, item: Item) -> None:
        kind, value = item
        self.played += 1
        if kind == "payload":
            self._emit(ScanResult.from_raw(str(value).encode("utf-8"), "qrcode", "sim"))
            return
        if self._decoder is None:
            self._decoder = make_decoder(self._decoder_choice, self._formats)
        if isinstance(value, np.ndarray):
            frame = value
        else:
            import cv2

            frame = cv2.imread(str(value), cv2.IMREAD_GRAYSCALE)
            if frame is None:
                self.wire.note(f"image {value} cannot be read")
                return
        for result in self._decoder.decode(frame):
            self._emit(result)

    def _drain(self) -> None:
        while True:
            try:
                self._now.get_nowait()
            except queue.Empty:
                return
