"""The speech backend contract: non-blocking say/stop, settings, file synthesis, utterance events."""

from __future__ import annotations

import abc
import threading
from dataclasses import dataclass, field
from typing import Callable

from devices.base import Driver
from devices.listeners import Listeners
from devices.messages import N_

DEFAULT_RATE_WPM = 140  # slower than the engines' 200 wpm default: easier for elderly listeners
DEFAULT_VOLUME = 0.8
MIN_RATE_WPM = 80
MAX_RATE_WPM = 450  # espeak-ng's upper limit

REASON_UNAVAILABLE = N_("speech.unavailable")
REASON_DISABLED = N_("speech.disabled")
REASON_STARTING = N_("speech.starting")
REASON_ENGINE_FAILED = N_("speech.engine_failed")
REASON_ENGINE_RESTARTED = N_("speech.engine_restarted")
REASON_NO_AUDIO_PLAYER = N_("speech.no_audio_player")
REASON_NO_AUDIO_OUTPUT = N_("speech.no_audio_output")
REASON_CLOSED = N_("speech.closed")


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers: its id (what set_voice takes), display name and languages."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class UtteranceEvent:
    """``kind`` is "started" (audio began) or "finished"; ``completed`` False when interrupted
    or when playback failed. ``text`` is never logged: prompts may carry health values."""

    kind: str
    text: str
    lang: str
    completed: bool = True
    params: dict[str, object] = field(default_factory=dict)


UtteranceListener = Callable[[UtteranceEvent], None]


def clamp_volume(volume: float) -> float:
    return min(1.0, max(0.0, float(volume)))


def clamp_rate(rate_wpm: int) -> int:
    return min(MAX_RATE_WPM, max(MIN_RATE_WPM, int(rate_wpm)))


class UtteranceListeners(Listeners[UtteranceEvent]):
    """Thread-safe listener list for utterance events."""


class SpeechBackend(Driver):
    """Speaks text in a language. Every method except the blocking ones named below returns at
    once and may be called from any thread (the Qt thread included)."""

    role = "speech"

    def __init__(self) -> None:
        super().__init__()
        self.utterances = UtteranceListeners()

    @abc.abstractmethod
    def say(self, text: str, lang: str) -> None:
        """Queue ``text`` in ``lang`` ("zh_CN", "en") and interrupt whatever is speaking now.

        Any thread; returns at once. Never raises for engine or audio trouble: that shows in
        ``state`` instead, so the kiosk keeps working without sound.
        """

    @abc.abstractmethod
    def stop(self) -> None:
        """Interrupt the current utterance and drop queued ones. Any thread; returns at once."""

    @abc.abstractmethod
    def set_rate(self, rate_wpm: int) -> None:
        """Speaking rate in words per minute for the next utterances (clamped 80..450)."""

    @abc.abstractmethod
    def set_volume(self, volume: float) -> None:
        """Volume 0..1 (clamped) for the next utterances."""

    @abc.abstractmethod
    def set_voice(self, lang: str, voice_id: str) -> None:
        """Use ``voice_id`` (an id from ``voices()``) for ``lang``; empty = the OS default."""

    @abc.abstractmethod
    def synthesize_to_file(self, text: str, lang: str, path: str, timeout_s: float = 30.0) -> None:
        """Write ``text`` as a WAV file at ``path``. BLOCKING: for tests, doctor and workers only.

        Raises devices.errors.DeviceUnavailable when no engine can run here and
        devices.errors.DeviceTimeout when the engine did not answer in time.
        """

    @abc.abstractmethod
    def voices(self) -> list[VoiceInfo]:
        """Voices the engine offers; may block until the engine has started (worker/doctor)."""

    @abc.abstractmethod
    def describe(self) -> dict[str, object]:
        """Non-blocking summary for doctor and technicians: ``engine``, ``voices`` (lang ->
        voice id), ``player``, ``available`` (bool), ``reason`` (message key), ``rate_wpm``,
        ``volume``."""

    @property
    @abc.abstractmethod
    def speaking(self) -> bool:
        """True from ``say`` until its audio has finished or was interrupted."""

    def subscribe_utterances(self, listener: UtteranceListener) -> Callable[[], None]:
        """Call ``listener`` on the backend's worker thread when audio starts and finishes."""
        return self.utterances.subscribe(listener)
