"""Voice orchestration for screens (recording backend) and building speech from configuration."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from devices import registry
from devices.speech.fake_backend import RecordingSpeech
from devices.speech.null_backend import NullSpeech
from devices.speech.pyttsx3_backend import Pyttsx3Speech
from devices.speech.base import REASON_CLOSED, REASON_DISABLED
from devices.state import DeviceState
from kiosk.config import VoiceSection
from kiosk.voice import Prompt, Voice, build_backend, build_voice, voice_status


@pytest.fixture
def backend():
    speech = RecordingSpeech()
    yield speech
    speech.close()


@pytest.fixture
def voice(backend):
    return Voice(backend, default_volume=0.8, default_rate_wpm=140)


def test_a_new_prompt_interrupts_the_previous_one_and_becomes_the_last_prompt(voice, backend):
    ended = []
    backend.subscribe_utterances(lambda e: e.kind == "finished" and ended.append((e.text, e.completed)))
    voice.speak_prompt("请坐下", "zh_CN")
    voice.speak_prompt("请伸出手臂", "zh_CN")
    assert ended == [("请坐下", False)]
    assert voice.last_prompt == Prompt("请伸出手臂", "zh_CN")
    assert voice.speaking


def test_repeat_speaks_the_last_prompt_again_not_the_extra_phrase(voice, backend):
    voice.speak_prompt("Please sit down.", "en")
    voice.say("10", "en")
    voice.repeat()
    assert backend.spoken() == [("Please sit down.", "en"), ("10", "en"), ("Please sit down.", "en")]
    assert voice.last_prompt == ("Please sit down.", "en")


def test_repeat_without_a_prompt_says_nothing(voice, backend):
    voice.repeat()
    assert backend.spoken() == []


def test_reset_defaults_restores_volume_and_rate_after_a_user(voice, backend):
    voice.set_volume(1.0)
    voice.set_rate(100)
    voice.speak_prompt("请坐下", "zh_CN")
    voice.reset_defaults()
    assert (voice.volume, voice.rate_wpm) == (0.8, 140)
    assert (backend.volume, backend.rate_wpm) == (0.8, 140)
    assert voice.last_prompt is None
    voice.speak_prompt("欢迎", "zh_CN")
    assert backend.calls[-1] == ("say", "欢迎", "zh_CN", 140, 0.8)


def test_a_louder_volume_applies_to_the_next_utterance(voice, backend):
    voice.set_volume(1.0)
    voice.speak_prompt("请坐下", "zh_CN")
    assert backend.calls[-1] == ("say", "请坐下", "zh_CN", 140, 1.0)


def test_volume_and_rate_are_clamped(voice):
    voice.set_volume(3.0)
    voice.set_rate(5)
    assert (voice.volume, voice.rate_wpm) == (1.0, 80)


def test_disabled_voice_keeps_the_prompt_but_says_nothing(backend):
    voice = Voice(backend, enabled=False)
    voice.speak_prompt("请坐下", "zh_CN")
    voice.say("5", "zh_CN")
    voice.repeat()
    assert backend.spoken() == []
    assert voice.last_prompt == ("请坐下", "zh_CN")


def test_switching_voice_off_stops_what_is_speaking(voice, backend):
    voice.speak_prompt("请坐下", "zh_CN")
    voice.set_enabled(False)
    assert not voice.speaking
    assert backend.calls[-1] == ("stop",)


def test_the_voice_applies_its_defaults_to_the_backend_at_once(backend):
    Voice(backend, default_volume=0.6, default_rate_wpm=120)
    assert (backend.volume, backend.rate_wpm) == (0.6, 120)


def test_status_joins_backend_description_and_voice_settings(voice):
    status = voice.status()
    assert (status["engine"], status["enabled"], status["volume"], status["rate_wpm"]) == ("fake", True, 0.8, 140)


def test_close_closes_the_backend(voice, backend):
    voice.close()
    assert backend.state.report.state == DeviceState.DISCONNECTED


def test_config_with_speech_off_builds_the_silent_backend():
    for config in (VoiceSection(enabled=False), VoiceSection(backend="null")):
        speech = build_backend(config)
        assert isinstance(speech, NullSpeech)
        assert speech.describe()["reason"] == "speech.disabled"


def test_unusable_pyttsx3_falls_back_to_silence_with_the_reason(monkeypatch):
    info = registry.get("speech", "pyttsx3")
    broken = dataclasses.replace(info, availability=lambda: (False, "espeak-ng library is not installed"))
    monkeypatch.setitem(registry._DRIVERS, ("speech", "pyttsx3"), broken)
    speech = build_backend(VoiceSection())
    assert isinstance(speech, NullSpeech)
    assert (speech.describe()["reason"], speech.detail) == ("speech.unavailable", "espeak-ng library is not installed")


def test_config_builds_pyttsx3_with_its_voices_rate_volume_and_player():
    config = VoiceSection(rate_wpm=120, volume=0.5, voice_en="gmw/en", player=f"{sys.executable} -c pass")
    voice = build_voice(config)
    try:
        assert isinstance(voice.backend, Pyttsx3Speech)
        info = voice.status()
        assert (info["rate_wpm"], info["volume"], info["voices"]["en"]) == (120, 0.5, "gmw/en")
        assert info["player"] == f"{sys.executable} -c pass"
    finally:
        voice.close()


def _player(tmp_path, exit_code: int) -> str:
    script = tmp_path / f"player{exit_code}.py"
    script.write_text(f"raise SystemExit({exit_code})\n")
    return f"{sys.executable} {script}"


def test_voice_status_synthesises_both_languages_and_reports_audio(tmp_path):
    status = voice_status(VoiceSection(player=_player(tmp_path, 0), required=True))
    assert set(status["synthesis_s"]) == {"zh_CN", "en"}
    assert all(isinstance(s, float) and s > 0.3 for s in status["synthesis_s"].values())
    assert (status["available"], status["ok"], status["reason"]) == (True, True, "")


def test_voice_status_fails_required_speech_without_audio_output(tmp_path):
    status = voice_status(VoiceSection(player=_player(tmp_path, 1), required=True))
    assert (status["available"], status["ok"], status["reason"]) == (False, False, "speech.no_audio_output")
    assert all(isinstance(s, float) for s in status["synthesis_s"].values())  # the engine still works
    optional = voice_status(VoiceSection(player=_player(tmp_path, 1), required=False))
    assert optional["ok"] is True


def test_a_backend_started_later_speaks_the_last_prompt_with_the_current_volume_and_rate(backend):
    silent = NullSpeech(REASON_DISABLED)
    voice = Voice(silent, default_volume=0.8, default_rate_wpm=140)
    voice.speak_prompt("您好，请轻触大按钮", "zh_CN")  # the home prompt, before the engine is up
    voice.set_volume(1.0)
    voice.use_backend(backend)
    assert voice.backend is backend
    assert backend.spoken() == [("您好，请轻触大按钮", "zh_CN")]
    assert backend.volume == 1.0 and backend.rate_wpm == 140
    assert silent.state.report.reason_key == REASON_CLOSED  # the stand-in is released
