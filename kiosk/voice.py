"""Spoken prompts for screens: interrupting prompts, repeat, volume/rate reset after each user."""

from __future__ import annotations

import logging
import os
import threading
from typing import NamedTuple

from devices import registry
from devices.errors import DeviceError
from devices.speech.base import (
    DEFAULT_RATE_WPM,
    DEFAULT_VOLUME,
    REASON_DISABLED,
    REASON_UNAVAILABLE,
    SpeechBackend,
    clamp_rate,
    clamp_volume,
)
from devices.speech.null_backend import NullSpeech
from kiosk.config import VoiceSection

log = logging.getLogger(__name__)

DOCTOR_PHRASES = {"zh_CN": "您好，语音正常。", "en": "Hello, speech works."}


class Prompt(NamedTuple):
    text: str
    lang: str


class Voice:
    """What screens call to speak. Every method returns at once (safe on the Qt thread); the
    backend's own worker does the speaking. Texts are never logged: they may hold health values."""

    def __init__(
        self,
        backend: SpeechBackend,
        *,
        enabled: bool = True,
        default_volume: float = DEFAULT_VOLUME,
        default_rate_wpm: int = DEFAULT_RATE_WPM,
    ) -> None:
        self.backend = backend
        self._lock = threading.Lock()
        self._enabled = enabled
        self.default_volume = clamp_volume(default_volume)
        self.default_rate_wpm = clamp_rate(default_rate_wpm)
        self._volume = self.default_volume
        self._rate_wpm = self.default_rate_wpm
        self._last_prompt: Prompt | None = None
        backend.set_volume(self._volume)
        backend.set_rate(self._rate_wpm)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Switch speech on or off (a technician setting); off stops what is speaking."""
        self._enabled = enabled
        if not enabled:
            self.backend.stop()

    @property
    def last_prompt(self) -> Prompt | None:
        with self._lock:
            return self._last_prompt

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def rate_wpm(self) -> int:
        return self._rate_wpm

    @property
    def speaking(self) -> bool:
        return self.backend.speaking

    def speak_prompt(self, text: str, lang: str) -> None:
        """A new screen's prompt: interrupts whatever is speaking and becomes the last prompt."""
        with self._lock:
            self._last_prompt = Prompt(text, lang)
        if self._enabled:
            self.backend.say(text, lang)

    def say(self, text: str, lang: str) -> None:
        """An extra phrase (a countdown number, "done"): interrupts, leaves the last prompt."""
        if self._enabled:
            self.backend.say(text, lang)

    def repeat(self) -> None:
        """Speak the last prompt again (the "listen again" button); nothing if there is none."""
        prompt = self.last_prompt
        if prompt is not None and self._enabled:
            self.backend.say(prompt.text, prompt.lang)

    def stop(self) -> None:
        self.backend.stop()

    def set_volume(self, volume: float) -> None:
        """Volume 0..1 (clamped) from the next utterance on."""
        self._volume = clamp_volume(volume)
        self.backend.set_volume(self._volume)

    def set_rate(self, rate_wpm: int) -> None:
        """Words per minute (clamped 80..450) from the next utterance on."""
        self._rate_wpm = clamp_rate(rate_wpm)
        self.backend.set_rate(self._rate_wpm)

    def reset_defaults(self) -> None:
        """Back to the default volume and rate, and forget the prompt: after every user (ADA 707)."""
        self.set_volume(self.default_volume)
        self.set_rate(self.default_rate_wpm)
        with self._lock:
            self._last_prompt = None

    def status(self) -> dict[str, object]:
        """Non-blocking: the backend's description plus this voice's settings."""
        info = dict(self.backend.describe())
        info.update(enabled=self._enabled, volume=self._volume, rate_wpm=self._rate_wpm)
        return info

    def use_backend(self, backend: SpeechBackend) -> None:
        """Speak through ``backend`` from now on (the engine started after the first paint).

        The old backend is closed; the current volume and rate carry over, and the last prompt,
        said silently while the engine was starting, is spoken now.
        """
        old, self.backend = self.backend, backend
        backend.set_volume(self._volume)
        backend.set_rate(self._rate_wpm)
        old.close()
        self.repeat()

    def close(self) -> None:
        """Stop and release the backend (blocks up to a few seconds: call at shutdown)."""
        self.backend.close()


def build_backend(config: VoiceSection) -> SpeechBackend:
    """The configured backend, opened; NullSpeech with a reason when it cannot run here.

    Returns at once: the pyttsx3 engine starts on the backend's own worker.
    """
    if not config.enabled or config.backend == "null":
        return NullSpeech(REASON_DISABLED)
    info = registry.get("speech", config.backend)
    ok, why = info.usable()
    if not ok:
        log.warning("speech driver %s unusable: %s", config.backend, why)
        return NullSpeech(REASON_UNAVAILABLE, detail=why)
    voices = {lang: vid for lang, vid in (("zh_CN", config.voice_zh_CN), ("en", config.voice_en)) if vid}
    try:
        backend: SpeechBackend = info.load()(
            rate_wpm=config.rate_wpm, volume=config.volume, voices=voices, player=config.player
        )
        backend.open()
    except (DeviceError, OSError) as exc:
        log.warning("speech driver %s failed to start: %s", config.backend, exc)
        return NullSpeech(REASON_UNAVAILABLE, detail=str(exc))
    return backend


def build_voice(config: VoiceSection) -> Voice:
    """A Voice over the configured backend, with the configured defaults."""
    return Voice(
        build_backend(config),
        enabled=config.enabled,
        default_volume=config.volume,
        default_rate_wpm=config.rate_wpm,
    )


def voice_status(config: VoiceSection, timeout_s: float = 30.0) -> dict[str, object]:
    """For `kiosk doctor` (BLOCKING): start the configured speech, synthesise a test phrase per
    language to a temporary WAV, report what works. ``ok`` is False only when speech is required
    and cannot be heard."""
    import tempfile
    import wave

    backend = build_backend(config)
    try:
        wait_ready = getattr(backend, "wait_ready", None)
        if wait_ready is not None:
            wait_ready(timeout_s)
        synthesis: dict[str, float | str] = {}
        with tempfile.TemporaryDirectory(prefix="kiosk-doctor-") as folder:
            for lang, phrase in DOCTOR_PHRASES.items():
                path = os.path.join(folder, f"{lang}.wav")
                try:
                    backend.synthesize_to_file(phrase, lang, path, timeout_s=timeout_s)
                    with wave.open(path, "rb") as wav:
                        synthesis[lang] = round(wav.getnframes() / wav.getframerate(), 2)
                except (DeviceError, OSError, wave.Error) as exc:
                    synthesis[lang] = f"failed: {exc}"
        status = dict(backend.describe())
    finally:
        backend.close()
    status["synthesis_s"] = synthesis
    status["required"] = config.required
    status["enabled"] = config.enabled
    status["ok"] = bool(status.get("available")) or not config.required
    return status
