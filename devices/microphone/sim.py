"""The microphone's simulated twin: real time (or scaled), delivering a real WAV file."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import wave

import numpy as np

from devices.base import CancelToken
from devices.errors import Cancelled, DeviceUnavailable
from devices.microphone.base import KEY_BUSY, KEY_NOT_FOUND, KEY_RECORDING, MAX_NOTE_S, Microphone, ProgressListener, Recording, wav_bytes
from devices.state import DeviceState

log = logging.getLogger(__name__)

RATE_HZ = 16_000
TICK_S = 0.1
FAULTS = ("ok", "not_found")
DEFAULT_TEXT = "这是一段模拟的语音留言。楼道里的灯坏了，请帮忙看一看。"


def _espeak_samples(text: str, voice: str) -> np.ndarray | None:
    """``text`` spoken by espeak-ng as float samples at RATE_HZ, or None without espeak-ng."""
    exe = shutil.which("espeak-ng")
    if exe is None or not text:
        return None
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        subprocess.run([exe, "-v", voice, "-w", path, text], check=True, timeout=10,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with wave.open(path, "rb") as wav:
            rate = wav.getframerate()
            raw = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as exc:
        log.warning("espeak-ng could not synthesise the simulated note: %s", type(exc).__name__)
        return None
    finally:
        os.unlink(path)
    if rate != RATE_HZ and len(raw):  # linear resampling is plenty for a test voice
        positions = np.arange(0, len(raw) - 1, rate / RATE_HZ)
        raw = np.interp(positions, np.arange(len(raw)), raw).astype(np.float32)
    return raw


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE_HZ)) / RATE_HZ
    envelope = 0.5 * (1 - np.cos(2 * np.pi * np.minimum(t, 1.0)))
    return (0.3 * envelope * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


class SimMicrophone(Microphone):
    """Counts recorded time like a microphone (``time_scale`` multiplies every duration: 0.01
    for fast tests) and delivers a 16 kHz mono WAV of that length: ``text`` spoken by espeak-ng
    (a tone without it), then quiet room noise. Fault ``not_found`` fails every recording."""

    driver_id = "sim"
    capabilities = frozenset({"record", "simulated"})

    def __init__(self, time_scale: float = 1.0, text: str | None = None, voice: str = "cmn", fault: str = "ok") -> None:
        super().__init__()
        if not (isinstance(time_scale, (int, float)) and time_scale > 0):
            raise ValueError("time_scale: must be a positive number")
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
        self.time_scale = float(time_scale)
        self.text = DEFAULT_TEXT if text is None else text
        self.voice = voice
        self.fault = fault
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = CancelToken()
        self._discard = False

    def open(self) -> None:
        if self.fault == "not_found":
            self._set_state(DeviceState.ERROR, KEY_NOT_FOUND)
        elif self.state.state is DeviceState.DISCONNECTED:
            self._set_state(DeviceState.READY)

    def close(self) -> None:
        self.cancel()
        self._set_state(DeviceState.DISCONNECTED)

    @property
    def recording(self) -> bool:
        with self._lock:
            return self._thread is not None and self._thread.is_alive()

    def record_async(self, max_s: float = MAX_NOTE_S,
                     on_progress: ProgressListener | None = None) -> concurrent.futures.Future[Recording]:
        future: concurrent.futures.Future[Recording] = concurrent.futures.Future()
        if self.fault == "not_found":
            self._set_state(DeviceState.ERROR, KEY_NOT_FOUND)
            future.set_exception(DeviceUnavailable("injected: no microphone", key=KEY_NOT_FOUND))
            return future
        limit_s = max(TICK_S, min(float(max_s), MAX_NOTE_S))
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                future.set_exception(DeviceUnavailable("already recording", key=KEY_BUSY))
                return future
            self._stop = CancelToken()
            self._discard = False
            self._thread = threading.Thread(target=self._record, args=(future, limit_s, on_progress, self._stop),
                                            name="microphone-sim", daemon=True)
            self._thread.start()
        return future

    def stop(self) -> None:
        self._end(discard=False)

    def cancel(self) -> None:
        self._end(discard=True)

    def _end(self, discard: bool) -> None:
        with self._lock:
            thread = self._thread
            if thread is None:
                return
            self._discard = self._discard or discard
            self._stop.cancel()
        if thread is not threading.current_thread():
            thread.join(5.0)

    def _record(self, future: concurrent.futures.Future[Recording], limit_s: float,
                on_progress: ProgressListener | None, stop: CancelToken) -> None:
        if not future.set_running_or_notify_cancel():
            return
        self._set_state(DeviceState.BUSY, KEY_RECORDING)
        voice = _espeak_samples(self.text, self.voice)
        elapsed_s = 0.0
        while elapsed_s < limit_s - 1e-9:
            if stop.wait(TICK_S * self.time_scale):
                break
            elapsed_s = min(limit_s, elapsed_s + TICK_S)
            if on_progress is not None:
                try:
                    on_progress(elapsed_s)
                except Exception:  # noqa: BLE001 - a faulty listener must not lose the note
                    log.exception("microphone progress listener failed")
        with self._lock:
            discard = self._discard
        self._set_state(DeviceState.READY)
        if discard:
            future.set_exception(Cancelled("voice note discarded"))
            return
        future.set_result(self._note(elapsed_s, voice))

    def _note(self, seconds: float, voice: np.ndarray | None) -> Recording:
        total = int(round(seconds * RATE_HZ))
        rng = np.random.default_rng(1234)
        samples = (0.004 * rng.standard_normal(total)).astype(np.float32)  # quiet room
        speech = voice if voice is not None else _tone(min(seconds, 2.0))
        n = min(total, len(speech))
        samples[:n] += speech[:n]
        return Recording(wav_bytes(samples, RATE_HZ), "audio/wav", total / RATE_HZ)
