"""Microphone drivers for voice notes: the simulated twin's real WAV, the 60 s limit, stop and cancel,
and the system microphone that needs a sound card and the UI's audio backend."""

from __future__ import annotations

import io
import threading
import wave

import numpy as np
import pytest

from devices import registry
from devices.errors import Cancelled, DeviceUnavailable
from devices.microphone.base import MAX_NOTE_S, wav_duration_s
from devices.microphone.sim import SimMicrophone
from devices.microphone.system import SystemMicrophone, sound_card_availability
from devices.state import DeviceState


def _samples(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), np.int16), wav.getframerate()


def test_the_sim_microphone_delivers_a_wav_as_long_as_the_note_with_speech_in_it():
    mic = registry.create("microphone", "sim", time_scale=0.02)
    progress: list[float] = []
    try:
        recording = mic.record_async(3.0, progress.append).result(timeout=20)
    finally:
        mic.close()
    assert recording.mime == "audio/wav" and recording.duration_s == pytest.approx(3.0)
    samples, rate = _samples(recording.data)
    assert rate == 16_000 and len(samples) == 48_000
    assert wav_duration_s(recording.data) == pytest.approx(3.0)
    loud = np.abs(samples[:16_000]).max()
    assert loud > 3000  # someone speaks (espeak-ng) or a tone sounds at the start
    assert progress[0] == pytest.approx(0.1) and progress[-1] == pytest.approx(3.0)
    assert progress == sorted(progress)


def test_a_voice_note_never_runs_past_sixty_seconds_whatever_is_asked():
    mic = SimMicrophone(time_scale=0.001, text="")
    try:
        recording = mic.record_async(600.0).result(timeout=30)
    finally:
        mic.close()
    assert recording.duration_s == pytest.approx(MAX_NOTE_S)
    assert wav_duration_s(recording.data) == pytest.approx(MAX_NOTE_S)


def test_stop_keeps_what_was_recorded_and_cancel_discards_it():
    mic = SimMicrophone(time_scale=0.05)
    half_second = threading.Event()
    try:
        future = mic.record_async(60.0, lambda s: half_second.set() if s >= 0.5 else None)
        assert half_second.wait(10)
        assert mic.recording and mic.state.state is DeviceState.BUSY
        mic.stop()
        recording = future.result(timeout=10)
        assert 0.5 <= recording.duration_s < 5.0
        assert wav_duration_s(recording.data) == pytest.approx(recording.duration_s, abs=0.01)
        assert not mic.recording and mic.state.state is DeviceState.READY

        future = mic.record_async(60.0)
        mic.cancel()
        with pytest.raises(Cancelled):
            future.result(timeout=10)
    finally:
        mic.close()


def test_a_missing_sim_microphone_fails_the_note_with_a_key():
    mic = registry.create("microphone", "sim", fault="not_found")
    try:
        with pytest.raises(DeviceUnavailable) as caught:
            mic.record_async(10).result(timeout=5)
        assert caught.value.key == "microphone.not_found"
        assert mic.state.report.reason_key == "microphone.not_found"
    finally:
        mic.close()


@pytest.mark.parametrize(("content", "usable"), [
    (None, False),
    ("--- no soundcards ---\n", False),
    (" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000\n", True),
])
def test_the_system_microphone_needs_a_sound_card_listed_by_alsa(tmp_path, content, usable):
    cards = tmp_path / "cards"
    if content is not None:
        cards.write_text(content, encoding="utf-8")
    ok, why = sound_card_availability(str(cards))
    assert ok is usable
    assert (why == "") is usable and (usable or "no sound card" in why)


def test_the_system_microphone_without_the_uis_audio_backend_says_so():
    SystemMicrophone.install_backend(None)
    mic = SystemMicrophone()
    with pytest.raises(DeviceUnavailable) as caught:
        mic.record_async(10).result(timeout=5)
    assert caught.value.key == "microphone.no_backend"
    assert mic.state.report.state is DeviceState.ERROR
    mic.close()
