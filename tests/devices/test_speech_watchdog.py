"""A hung or dead synthesis child is killed and replaced; an engine that cannot start is reported."""

from __future__ import annotations

import os
import sys
import time
import wave

import pytest

from devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable
from devices.speech.pyttsx3_backend import Pyttsx3Speech
from devices.speech.synth_process import SynthProcess
from devices.state import DeviceState

# A real engine child whose input is wrapped: text containing HANG makes it sleep forever,
# text containing DIE makes it exit, anything else is synthesised as usual.
FAULTY_CHILD = r'''
import os, time
from devices.speech import synth_child

class Faulty(synth_child.JsonLines):
    def recv(self):
        message = super().recv()
        text = message.get("text", "")
        if "HANG" in text:
            time.sleep(3600)
        if "DIE" in text:
            os._exit(3)
        return message

channel = synth_child.open_channel()
synth_child.serve(Faulty(channel._reader, channel._writer))
'''
FAULTY = [sys.executable, "-c", FAULTY_CHILD]
SYNTH_TIMEOUT_S = 2.0  # far above espeak-ng's ~20 ms per sentence, even on a busy machine


def wait_until(predicate, what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def is_wav_with_audio(path) -> bool:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() > 1000


@pytest.fixture
def synth():
    process = SynthProcess(FAULTY, synth_timeout_s=SYNTH_TIMEOUT_S)
    yield process
    process.close()


def test_a_hung_engine_is_killed_and_the_next_request_synthesises(synth, tmp_path):
    synth.start()
    hung_pid = synth.pid
    with pytest.raises(DeviceTimeout):
        synth.synthesize("HANG 您好", "sit/cmn", 140, 0.8, str(tmp_path / "hang.wav"))
    assert not alive(hung_pid)
    assert synth.restarts == 1
    assert synth.running and synth.pid != hung_pid
    synth.synthesize("您好。", "sit/cmn", 140, 0.8, str(tmp_path / "after.wav"))
    assert is_wav_with_audio(tmp_path / "after.wav")


def test_a_dead_engine_is_replaced_at_once(synth, tmp_path):
    synth.start()
    with pytest.raises(DeviceError) as err:
        synth.synthesize("DIE", "gmw/en-us", 140, 0.8, str(tmp_path / "die.wav"))
    assert not isinstance(err.value, DeviceTimeout)  # noticed by end of pipe, not by deadline
    assert synth.restarts == 1
    synth.synthesize("Hello.", "gmw/en-us", 140, 0.8, str(tmp_path / "after.wav"))
    assert is_wav_with_audio(tmp_path / "after.wav")


def test_a_hang_while_speaking_does_not_stick_and_the_next_prompt_is_spoken(tmp_path):
    played = tmp_path / "played.txt"
    script = tmp_path / "player.py"
    script.write_text(f"import sys\nopen({str(played)!r}, 'a').write(sys.argv[-1] + '\\n')\n")
    speech = Pyttsx3Speech(player=f"{sys.executable} {script}", probe_audio=False,
                           child_command=FAULTY, synth_timeout_s=SYNTH_TIMEOUT_S)
    finished = []
    speech.subscribe_utterances(lambda e: e.kind == "finished" and finished.append(e.text))
    try:
        speech.say("HANG", "en")
        wait_until(lambda: speech.describe()["restarts"] == 1, "the hung engine was replaced")
        speech.say("Please sit down.", "en")
        wait_until(lambda: finished, "the next prompt was played")
        assert finished == ["Please sit down."]
        assert len(played.read_text().splitlines()) == 1
        report = speech.state.report
        assert (report.state, report.reason_key, report.params) == (
            DeviceState.READY, "speech.engine_restarted", {"count": 1})
    finally:
        speech.close()


def test_an_engine_that_cannot_start_is_reported_and_say_never_raises(tmp_path):
    speech = Pyttsx3Speech(child_command=[sys.executable, "-c", "raise SystemExit(2)"], probe_audio=False)
    try:
        assert speech.wait_ready(30.0)
        assert speech.state.report.reason_key == "speech.engine_failed"
        assert speech.describe()["synthesis"] is False
        speech.say("您好", "zh_CN")
        with pytest.raises(DeviceUnavailable):
            speech.synthesize_to_file("您好", "zh_CN", str(tmp_path / "x.wav"))
    finally:
        speech.close()


def test_an_engine_silent_at_start_is_killed_after_the_start_deadline():
    process = SynthProcess([sys.executable, "-c", "import time; time.sleep(3600)"], start_timeout_s=1.0)
    try:
        with pytest.raises(DeviceUnavailable) as err:
            process.start()
        assert err.value.key == "speech.engine_failed"
        assert not process.running
    finally:
        process.close()


def test_close_does_not_wait_for_a_hung_engine_deadline(tmp_path):
    speech = Pyttsx3Speech(child_command=FAULTY, synth_timeout_s=600.0, probe_audio=False)
    assert speech.wait_ready(30.0)
    speech.say("HANG", "en")
    wait_until(lambda: speech.speaking, "the hanging utterance is in the worker")
    speech.close()  # would block ten minutes if close waited for the synthesis deadline
    assert speech.state.report.reason_key == "speech.closed"
    assert speech.describe()["restarts"] == 0  # killed for closing, not replaced
