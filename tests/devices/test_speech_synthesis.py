"""Real pyttsx3 + espeak-ng synthesis to WAV files through the speech child process."""

from __future__ import annotations

import array
import os
import wave

import pytest

from devices import registry
from devices.speech.pyttsx3_backend import Pyttsx3Speech
from devices.speech.voices import choose_voice

SHORT_ZH = "您好。"
LONG_ZH = "您好，请把手臂平放在桌面上，保持安静，测量马上开始。"
EN = "Please sit down and put your arm on the table."


def _children() -> set[int]:
    """PIDs whose parent is this process (zombies included): what close() must reap."""
    me, found = os.getpid(), set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == me:
                found.add(int(entry))
    return found


@pytest.fixture
def speech():
    before = _children()
    backend = Pyttsx3Speech(probe_audio=False)
    assert backend.wait_ready(30.0)
    yield backend
    backend.close()
    assert _children() <= before, "speech left a child process behind"


def _wav(path) -> tuple[wave._wave_params, array.array]:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        samples = array.array("h", wav.readframes(params.nframes))
    return params, samples


def _seconds(path) -> float:
    params, _ = _wav(path)
    return params.nframes / params.framerate


def test_mandarin_text_becomes_a_16_bit_mono_wav_with_sound(speech, tmp_path):
    path = tmp_path / "zh.wav"
    speech.synthesize_to_file(LONG_ZH, "zh_CN", str(path))
    params, samples = _wav(path)
    assert (params.nchannels, params.sampwidth) == (1, 2)
    assert params.framerate > 8000
    assert max(abs(s) for s in samples) > 1000  # not silence


def test_a_longer_sentence_gives_a_longer_wav(speech, tmp_path):
    speech.synthesize_to_file(SHORT_ZH, "zh_CN", str(tmp_path / "short.wav"))
    speech.synthesize_to_file(LONG_ZH, "zh_CN", str(tmp_path / "long.wav"))
    assert _seconds(tmp_path / "long.wav") > 2 * _seconds(tmp_path / "short.wav")


def test_a_slower_rate_gives_a_longer_wav(speech, tmp_path):
    speech.set_rate(100)
    speech.synthesize_to_file(EN, "en", str(tmp_path / "slow.wav"))
    speech.set_rate(250)
    speech.synthesize_to_file(EN, "en", str(tmp_path / "fast.wav"))
    assert _seconds(tmp_path / "slow.wav") > 1.5 * _seconds(tmp_path / "fast.wav")


def test_a_lower_volume_gives_quieter_samples(speech, tmp_path):
    speech.set_volume(1.0)
    speech.synthesize_to_file(EN, "en", str(tmp_path / "loud.wav"))
    speech.set_volume(0.3)
    speech.synthesize_to_file(EN, "en", str(tmp_path / "quiet.wav"))
    loud = max(abs(s) for s in _wav(tmp_path / "loud.wav")[1])
    quiet = max(abs(s) for s in _wav(tmp_path / "quiet.wav")[1])
    assert quiet < 0.5 * loud


def test_mandarin_and_english_get_the_espeak_voices_for_their_language(speech):
    ids = {v.id for v in speech.voices()}
    assert {"sit/cmn", "gmw/en-us"} <= ids
    assert speech.describe()["voices"] == {"zh_CN": "sit/cmn", "en": "gmw/en-us"}
    assert choose_voice("zh_CN", speech.voices(), system="Linux") == "sit/cmn"


def test_the_voice_changes_the_audio(speech, tmp_path):
    # Mandarin read by the Mandarin voice and by an English voice must differ: the voice is used.
    speech.synthesize_to_file(LONG_ZH, "zh_CN", str(tmp_path / "cmn.wav"))
    speech.set_voice("zh_CN", "gmw/en-us")
    speech.synthesize_to_file(LONG_ZH, "zh_CN", str(tmp_path / "en.wav"))
    assert _wav(tmp_path / "cmn.wav")[1] != _wav(tmp_path / "en.wav")[1]


def test_default_rate_is_slower_than_the_engine_default(speech):
    assert speech.describe()["rate_wpm"] == 140


def test_describe_reports_engine_and_synthesis(speech):
    info = speech.describe()
    assert info["engine"] == "pyttsx3/espeak"
    assert info["synthesis"] is True
    assert info["restarts"] == 0


def test_close_ends_the_worker_thread_and_the_engine_process(tmp_path):
    before = _children()
    backend = Pyttsx3Speech(probe_audio=False)
    backend.synthesize_to_file(SHORT_ZH, "zh_CN", str(tmp_path / "a.wav"))
    assert _children() - before, "the engine runs in a child process"
    backend.close()
    assert _children() <= before
    assert backend.state.report.reason_key == "speech.closed"


def test_registry_creates_the_pyttsx3_driver_with_its_options(tmp_path):
    assert registry.get("speech", "pyttsx3").usable() == (True, "")
    backend = registry.create("speech", "pyttsx3", rate_wpm=120, volume=0.5, voices={"en": "gmw/en"}, player="")
    try:
        info = backend.describe()
        assert (info["rate_wpm"], info["volume"], info["voices"]["en"]) == (120, 0.5, "gmw/en")
    finally:
        backend.close()
