"""Fake speech twin: records every call and plays 'audio' instantly, for demos and tests."""

from __future__ import annotations

import threading
import wave

from devices.errors import DeviceUnavailable
from devices.speech import base
from devices.speech.base import SpeechBackend, UtteranceEvent, VoiceInfo
from devices.state import DeviceState

_FAKE_VOICES = [VoiceInfo("fake/cmn", "Fake Mandarin", ("cmn",)), VoiceInfo("fake/en-us", "Fake English", ("en-us",))]


class RecordingSpeech(SpeechBackend):
    """Keeps ``calls`` as (method, args...) tuples in order. An utterance stays "speaking" until
    the next say/stop or ``finish()``, so tests can observe interruption without audio.
    ``fail_files`` injects an engine fault into synthesize_to_file."""

    driver_id = "fake"
    capabilities = frozenset({"say", "interrupt", "file", "voices", "rate", "volume"})

    def __init__(self, rate_wpm: int = base.DEFAULT_RATE_WPM, volume: float = base.DEFAULT_VOLUME,
                 voices: dict[str, str] | None = None, player: str = "", *, fail_files: bool = False) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.calls: list[tuple[object, ...]] = []
        self.rate_wpm = base.clamp_rate(rate_wpm)
        self.volume = base.clamp_volume(volume)
        self.chosen_voices = {lang: vid for lang, vid in (voices or {}).items() if vid}
        self.fail_files = fail_files
        self._current: tuple[str, str] | None = None

    def open(self) -> None:
        self._set_state(DeviceState.READY)

    def close(self) -> None:
        self._record("close")
        self._end_current(completed=False)
        self._set_state(DeviceState.DISCONNECTED, base.REASON_CLOSED)

    def _record(self, *call: object) -> None:
        with self._lock:
            self.calls.append(call)

    def _end_current(self, completed: bool) -> None:
        with self._lock:
            current, self._current = self._current, None
        if current is not None:
            self.utterances.emit(UtteranceEvent("finished", current[0], current[1], completed=completed))

    def spoken(self) -> list[tuple[str, str]]:
        """(text, lang) of every say() in order."""
        with self._lock:
            return [(str(c[1]), str(c[2])) for c in self.calls if c[0] == "say"]

    def finish(self) -> None:
        """End the current utterance as if its audio had played to the end."""
        self._end_current(completed=True)

    def say(self, text: str, lang: str) -> None:
        self._record("say", text, lang, self.rate_wpm, self.volume)
        self._end_current(completed=False)
        with self._lock:
            self._current = (text, lang)
        self.utterances.emit(UtteranceEvent("started", text, lang))

    def stop(self) -> None:
        self._record("stop")
        self._end_current(completed=False)

    def set_rate(self, rate_wpm: int) -> None:
        self.rate_wpm = base.clamp_rate(rate_wpm)
        self._record("set_rate", self.rate_wpm)

    def set_volume(self, volume: float) -> None:
        self.volume = base.clamp_volume(volume)
        self._record("set_volume", self.volume)

    def set_voice(self, lang: str, voice_id: str) -> None:
        self._record("set_voice", lang, voice_id)
        if voice_id:
            self.chosen_voices[lang] = voice_id
        else:
            self.chosen_voices.pop(lang, None)

    def synthesize_to_file(self, text: str, lang: str, path: str, timeout_s: float = 30.0) -> None:
        self._record("synthesize_to_file", text, lang, path)
        if self.fail_files:
            raise DeviceUnavailable("injected engine fault", key=base.REASON_ENGINE_FAILED)
        with wave.open(path, "wb") as out:  # 10 ms of silence per character: duration grows with text
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(b"\x00\x00" * 220 * max(1, len(text)))

    def voices(self) -> list[VoiceInfo]:
        return list(_FAKE_VOICES)

    def describe(self) -> dict[str, object]:
        report = self.state.report
        return {
            "engine": "fake",
            "voices": {lang: self.chosen_voices.get(lang, "") for lang in ("zh_CN", "en")},
            "player": "",
            "available": report.state == DeviceState.READY,
            "synthesis": not self.fail_files,
            "reason": report.reason_key,
            "detail": "",
            "rate_wpm": self.rate_wpm,
            "volume": self.volume,
            "restarts": 0,
        }

    @property
    def speaking(self) -> bool:
        with self._lock:
            return self._current is not None
