"""Camera QR scanner: frames from a FrameSource decoded on its own worker thread, throttled."""

from __future__ import annotations

import logging
import time
from typing import Callable, Iterable

from devices.base import CancelToken
from devices.errors import DeviceError
from devices.messages import N_
from devices.scanner.base import Scanner
from devices.scanner.decoders import DEFAULT_FORMATS, Decoder, make_decoder
from devices.scanner.frames import FrameSource, OpenCVCapture
from devices.scanner.pacing import Clock, FrameThrottle
from devices.state import DeviceState

log = logging.getLogger(__name__)

Waiter = Callable[[CancelToken, float], bool]


def _token_wait(token: CancelToken, delay_s: float) -> bool:
    return token.wait(delay_s)


class CameraScanner(Scanner):
    """Decodes at most ``max_fps`` frames a second; loss is an ERROR state, retried with backoff.

    ``frame_source`` replaces the OpenCV capture of ``device`` (tests, the fake); ``decoder`` is
    a config name ("auto", "zxing", "pyzbar") or a Decoder. ``clock`` and ``wait`` are injected
    together in tests so throttling and the repeat window run on a simulated clock.
    """

    driver_id = "camera"
    idle_wait_s = 0.02  # no new frame yet: poll again soon, but do not spin

    def __init__(self, device: int | str = 0, decoder: str | Decoder = "auto",
                 max_fps: float = 15.0, repeat_window_s: float = 2.0,
                 formats: Iterable[str] = DEFAULT_FORMATS, width_px: int = 1280,
                 height_px: int = 720, retry_initial_s: float = 0.5, retry_max_s: float = 10.0,
                 frame_source: FrameSource | None = None, clock: Clock = time.monotonic,
                 wait: Waiter = _token_wait) -> None:
        super().__init__(repeat_window_s, clock, retry_initial_s, retry_max_s)
        self.decoder = decoder if isinstance(decoder, Decoder) else make_decoder(decoder, formats)
        self.source = frame_source or OpenCVCapture(device, width_px, height_px)
        self.throttle = FrameThrottle(max_fps)
        self._wait = wait
        self.frames_decoded = 0

    def _run(self, token: CancelToken) -> None:
        while not token.cancelled:
            self._set_state(DeviceState.CONNECTING, "scanner.connecting")
            try:
                self.source.open()
            except DeviceError as exc:
                self._set_state(DeviceState.ERROR, exc.key, **exc.params)
                self._wait(token, self.backoff.next_s())
                continue
            self._set_state(DeviceState.READY, "scanner.ready")
            try:
                self._decode_until_lost(token)
            except DeviceError as exc:
                log.warning("camera scanner: %s", exc)
                self._set_state(DeviceState.ERROR, exc.key or N_("scanner.camera_lost"),
                                **exc.params)
                self._wait(token, self.backoff.next_s())
            finally:
                self.source.close()

    def _decode_until_lost(self, token: CancelToken) -> None:
        while not token.cancelled:
            delay_s = self.throttle.delay_s(self.clock())
            if delay_s > 0:
                self._wait(token, delay_s)
                continue
            self.throttle.started(self.clock())
            frame = self.source.read()  # raises DeviceDisconnected when the camera is gone
            if frame is None:
                self._wait(token, self.idle_wait_s)
                continue
            self.backoff.reset()
            try:
                results = self.decoder.decode(frame)
            except ValueError as exc:  # a malformed frame is skipped, not fatal
                log.warning("camera frame skipped: %s", exc)
                continue
            self.frames_decoded += 1
            for result in results:
                self._emit(result)
