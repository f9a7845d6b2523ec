"""The null backend keeps the kiosk working silently; the fake twin records; drivers are registered."""

from __future__ import annotations

import wave

import pytest

from devices import registry
from devices.errors import DeviceUnavailable
from devices.speech.fake_backend import RecordingSpeech
from devices.speech.null_backend import NullSpeech
from devices.state import DeviceState


def test_null_speech_accepts_everything_and_reports_why_it_is_silent():
    speech = NullSpeech(detail="espeak-ng library is not installed")
    speech.set_rate(120)
    speech.set_volume(0.5)
    speech.set_voice("zh_CN", "sit/cmn")
    speech.say("您好", "zh_CN")
    speech.stop()
    assert not speech.speaking
    assert speech.voices() == []
    report = speech.state.report
    assert (report.state, report.reason_key) == (DeviceState.ERROR, "speech.unavailable")
    info = speech.describe()
    assert (info["available"], info["reason"], info["engine"]) == (False, "speech.unavailable", "null")
    assert (info["rate_wpm"], info["volume"]) == (120, 0.5)
    speech.close()
    assert speech.state.report.state == DeviceState.DISCONNECTED


def test_null_speech_refuses_to_write_files_with_its_reason(tmp_path):
    speech = NullSpeech()
    with pytest.raises(DeviceUnavailable) as err:
        speech.synthesize_to_file("您好", "zh_CN", str(tmp_path / "x.wav"))
    assert err.value.key == "speech.unavailable"
    assert not (tmp_path / "x.wav").exists()


def test_speech_switched_off_is_disconnected_not_an_error():
    speech = NullSpeech("speech.disabled")
    assert speech.state.report == speech.state.report.__class__(DeviceState.DISCONNECTED, "speech.disabled", {"detail": ""})


def test_registry_offers_pyttsx3_null_and_a_simulated_fake():
    infos = {info.driver_id: info for info in registry.drivers("speech")}
    assert set(infos) >= {"pyttsx3", "null", "fake"}
    assert infos["fake"].simulated and not infos["pyttsx3"].simulated
    assert isinstance(registry.create("speech", "null"), NullSpeech)
    fake = registry.create("speech", "fake", rate_wpm=100, volume=0.4, voices={"en": "fake/en-us"}, player="")
    assert (fake.rate_wpm, fake.volume, fake.chosen_voices) == (100, 0.4, {"en": "fake/en-us"})


def test_fake_speech_records_calls_and_a_new_say_interrupts_the_current_one(tmp_path):
    speech = RecordingSpeech()
    events = []
    speech.subscribe_utterances(lambda e: events.append((e.kind, e.text, e.completed)))
    speech.say("一", "zh_CN")
    speech.say("二", "zh_CN")
    assert speech.speaking
    speech.finish()
    assert not speech.speaking
    assert events == [("started", "一", True), ("finished", "一", False), ("started", "二", True), ("finished", "二", True)]
    speech.synthesize_to_file("abc", "en", str(tmp_path / "f.wav"))
    with wave.open(str(tmp_path / "f.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)


def test_fake_speech_injects_an_engine_fault_into_file_synthesis(tmp_path):
    with pytest.raises(DeviceUnavailable):
        RecordingSpeech(fail_files=True).synthesize_to_file("x", "en", str(tmp_path / "x.wav"))


@pytest.mark.parametrize("volume, expected", [(1.7, 1.0), (-0.2, 0.0), (0.35, 0.35)])
def test_volume_is_clamped_to_zero_to_one(volume, expected):
    speech = RecordingSpeech()
    speech.set_volume(volume)
    assert speech.volume == expected


@pytest.mark.parametrize("rate, expected", [(10, 80), (1000, 450), (160, 160)])
def test_rate_is_clamped_to_what_espeak_accepts(rate, expected):
    speech = RecordingSpeech()
    speech.set_rate(rate)
    assert speech.rate_wpm == expected
