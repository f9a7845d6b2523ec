"""Microphone driver for voice notes: record up to a hard limit, stop early, or cancel."""

from __future__ import annotations

import abc
import concurrent.futures
import io
import wave
from dataclasses import dataclass
from typing import Callable

import numpy as np

from devices.base import Driver
from devices.messages import N_

MAX_NOTE_S = 60.0  # a voice note is at most one minute, whatever a caller asks

KEY_NOT_FOUND = N_("microphone.not_found")
KEY_FAILED = N_("microphone.failed")
KEY_NO_BACKEND = N_("microphone.no_backend")
KEY_BUSY = N_("microphone.busy")
KEY_RECORDING = N_("microphone.recording")

ProgressListener = Callable[[float], None]  # seconds recorded so far


@dataclass(frozen=True)
class Recording:
    """A finished voice note: an audio file's bytes, its MIME type and length in seconds."""

    data: bytes
    mime: str
    duration_s: float


def wav_bytes(samples: np.ndarray, rate_hz: int) -> bytes:
    """Mono 16-bit PCM WAV of ``samples`` (float in -1..1 or int16)."""
    if samples.dtype != np.int16:
        samples = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(samples.tobytes())
    return buf.getvalue()


def wav_duration_s(data: bytes) -> float:
    """Length of a WAV file in seconds (raises wave.Error / EOFError on a broken file)."""
    with wave.open(io.BytesIO(data), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


class Microphone(Driver):
    """Records one voice note at a time.

    ``record_async`` starts at once and returns a Future of the Recording; ``on_progress`` is
    called about ten times a second with the seconds recorded (on the driver's thread, or the
    Qt thread for the system microphone). The note ends at ``max_s`` (never above MAX_NOTE_S),
    or at ``stop()`` with what was recorded; ``cancel()`` discards it (the Future raises
    devices.errors.Cancelled). A missing microphone fails the Future with DeviceUnavailable
    (key ``microphone.not_found``) and sets the ERROR state.
    """

    role = "microphone"
    capabilities = frozenset({"record"})

    @abc.abstractmethod
    def record_async(self, max_s: float = MAX_NOTE_S,
                     on_progress: ProgressListener | None = None) -> concurrent.futures.Future[Recording]:
        """Start recording (any thread; see the class docstring)."""

    @abc.abstractmethod
    def stop(self) -> None:
        """End the running note now and deliver what was recorded; nothing when idle."""

    @abc.abstractmethod
    def cancel(self) -> None:
        """End the running note and discard it; nothing when idle."""

    @property
    @abc.abstractmethod
    def recording(self) -> bool:
        """Whether a note is being recorded."""
