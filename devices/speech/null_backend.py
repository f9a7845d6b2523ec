"""Speech that says nothing: used when no engine can run, so the kiosk keeps working silently."""

from __future__ import annotations

from devices.errors import DeviceUnavailable
from devices.speech import base
from devices.speech.base import SpeechBackend, VoiceInfo
from devices.state import DeviceState


class NullSpeech(SpeechBackend):
    """Accepts every call and speaks nothing; ``state`` carries why speech is off."""

    driver_id = "null"
    capabilities = frozenset()

    def __init__(self, reason_key: str = base.REASON_UNAVAILABLE, detail: str = "", **_options: object) -> None:
        super().__init__()
        self.reason_key = reason_key
        self.detail = detail  # technician-facing English, e.g. the registry's availability text
        self._rate_wpm = base.DEFAULT_RATE_WPM
        self._volume = base.DEFAULT_VOLUME
        self.open()

    def open(self) -> None:
        # switched off on purpose is not a fault; anything else is
        state = DeviceState.DISCONNECTED if self.reason_key == base.REASON_DISABLED else DeviceState.ERROR
        self._set_state(state, self.reason_key, detail=self.detail)

    def close(self) -> None:
        self._set_state(DeviceState.DISCONNECTED, base.REASON_CLOSED)

    def say(self, text: str, lang: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_rate(self, rate_wpm: int) -> None:
        self._rate_wpm = base.clamp_rate(rate_wpm)

    def set_volume(self, volume: float) -> None:
        self._volume = base.clamp_volume(volume)

    def set_voice(self, lang: str, voice_id: str) -> None:
        pass

    def synthesize_to_file(self, text: str, lang: str, path: str, timeout_s: float = 30.0) -> None:
        raise DeviceUnavailable(self.detail or "speech is off", key=self.reason_key)

    def voices(self) -> list[VoiceInfo]:
        return []

    def describe(self) -> dict[str, object]:
        return {
            "engine": "null",
            "voices": {},
            "player": "",
            "available": False,
            "synthesis": False,
            "reason": self.reason_key,
            "detail": self.detail,
            "rate_wpm": self._rate_wpm,
            "volume": self._volume,
            "restarts": 0,
        }

    @property
    def speaking(self) -> bool:
        return False
