"""Playback through a killable player: interruption, stop, no audio output, utterance events.

The player is a small Python script that 'plays' a WAV by sleeping its real duration and
records start / end / terminated with its pid, so playback is observable without a sound card.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import wave

import pytest

from devices.speech.pyttsx3_backend import Pyttsx3Speech
from devices.state import DeviceState

LONG_ZH = "您好，请把手臂平放在桌面上，保持安静，测量马上开始，测量大约需要一分钟。"
SHORT_EN = "Done."
PLAYER = r'''
import json, os, signal, sys, time, wave
log_path, mode, wav_path = sys.argv[1], sys.argv[2], sys.argv[-1]
with wave.open(wav_path, "rb") as wav:
    frames, rate = wav.getnframes(), wav.getframerate()
def note(event):
    with open(log_path, "a") as fh:
        fh.write(json.dumps({"event": event, "pid": os.getpid(), "frames": frames}) + "\n")
def on_term(*_):
    note("terminated")
    os._exit(143)
signal.signal(signal.SIGTERM, on_term)
note("start")
if mode == "fail":
    sys.exit(1)
time.sleep(frames / rate)
note("end")
'''


def wait_until(predicate, what: str, timeout_s: float = 20.0) -> None:
    """Liveness bound only (generous): fails if ``predicate`` never becomes true."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.02)


class PlayerLog:
    def __init__(self, folder) -> None:
        self.script = folder / "fake_player.py"
        self.script.write_text(PLAYER)
        self.path = folder / "player.log"

    def command(self, mode: str = "play") -> str:
        return f"{sys.executable} {self.script} {self.path} {mode}"

    def entries(self, event: str | None = None) -> list[dict]:
        if not self.path.exists():
            return []
        rows = [json.loads(line) for line in self.path.read_text().splitlines()]
        return [r for r in rows if event is None or r["event"] == event]


@pytest.fixture
def player(tmp_path):
    return PlayerLog(tmp_path)


@pytest.fixture
def make_speech():
    made = []

    def make(**kwargs) -> Pyttsx3Speech:
        backend = Pyttsx3Speech(**kwargs)
        made.append(backend)
        assert backend.wait_ready(30.0)
        return backend

    yield make
    for backend in made:
        backend.close()


def _frames(backend, text, lang, folder) -> int:
    path = folder / f"ref-{abs(hash(text))}.wav"
    backend.synthesize_to_file(text, lang, str(path))
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes()


def same_audio(frames: int, reference: int) -> bool:
    """espeak-ng's length varies by a few samples between runs; texts here differ by seconds."""
    return abs(frames - reference) <= 0.05 * reference


def test_say_plays_the_synthesised_wav_through_the_player(make_speech, player, tmp_path):
    speech = make_speech(player=player.command(), probe_audio=False)
    finished = threading.Event()
    events = []
    speech.subscribe_utterances(lambda e: (events.append((e.kind, e.completed)), e.kind == "finished" and finished.set()))
    speech.say(SHORT_EN, "en")
    wait_until(finished.is_set, "the short utterance finished")
    assert events == [("started", True), ("finished", True)]
    played = player.entries("start")
    assert len(played) == 1 and player.entries("end")
    assert same_audio(played[0]["frames"], _frames(speech, SHORT_EN, "en", tmp_path))
    assert speech.state.report.state == DeviceState.READY


def test_a_new_say_stops_the_playing_utterance_and_plays_the_new_one(make_speech, player, tmp_path):
    speech = make_speech(player=player.command(), probe_audio=False)
    speech.say(LONG_ZH, "zh_CN")
    wait_until(lambda: player.entries("start"), "the long prompt started playing")
    first_pid = player.entries("start")[0]["pid"]
    speech.say(SHORT_EN, "en")
    wait_until(lambda: len(player.entries("start")) == 2, "the second utterance started playing")
    assert [r["pid"] for r in player.entries("terminated")] == [first_pid]
    with pytest.raises(ProcessLookupError):
        os.kill(first_pid, 0)  # gone and reaped, not merely asked to stop
    assert same_audio(player.entries("start")[1]["frames"], _frames(speech, SHORT_EN, "en", tmp_path))


def test_say_twice_at_once_plays_only_the_second_to_the_end(make_speech, player, tmp_path):
    speech = make_speech(player=player.command(), probe_audio=False)
    done = threading.Event()
    speech.subscribe_utterances(lambda e: e.kind == "finished" and e.completed and done.set())
    speech.say(LONG_ZH, "zh_CN")
    speech.say(SHORT_EN, "en")
    wait_until(done.is_set, "an utterance played to its end")
    starts = player.entries("start")
    # the first may have begun before the second say() arrived, but then it was cut off
    assert all(r["pid"] in {t["pid"] for t in player.entries("terminated")} for r in starts[:-1])
    assert same_audio(starts[-1]["frames"], _frames(speech, SHORT_EN, "en", tmp_path))
    assert [r["frames"] for r in player.entries("end")] == [starts[-1]["frames"]]


def test_stop_interrupts_playback_and_speaking_turns_false(make_speech, player):
    speech = make_speech(player=player.command(), probe_audio=False)
    events = []
    speech.subscribe_utterances(lambda e: events.append((e.kind, e.completed)))
    speech.say(LONG_ZH, "zh_CN")
    assert speech.speaking  # observable from the moment say() returns
    wait_until(lambda: player.entries("start"), "the prompt started playing")
    speech.stop()
    wait_until(lambda: not speech.speaking, "speaking ended after stop")
    assert len(player.entries("terminated")) == 1
    assert events == [("started", True), ("finished", False)]
    assert not player.entries("end")


def test_stop_during_synthesis_means_nothing_is_played(make_speech, player):
    speech = make_speech(player=player.command(), probe_audio=False)
    speech.say(LONG_ZH, "zh_CN")
    speech.stop()
    wait_until(lambda: not speech.speaking, "the dropped utterance left the worker")
    starts = player.entries("start")
    assert len(starts) == len(player.entries("terminated")) <= 1


def test_a_failing_player_reports_no_audio_output_but_synthesis_still_works(make_speech, player, tmp_path):
    speech = make_speech(player=player.command("fail"))
    assert speech.state.report == speech.state.report.__class__(DeviceState.ERROR, "speech.no_audio_output")
    assert speech.describe()["available"] is False
    speech.say(SHORT_EN, "en")  # never raises: the kiosk keeps working silently
    speech.synthesize_to_file(SHORT_EN, "en", str(tmp_path / "still.wav"))
    assert (tmp_path / "still.wav").stat().st_size > 44
    assert speech.describe()["synthesis"] is True


def test_a_working_player_passes_the_silent_probe(make_speech, player):
    speech = make_speech(player=player.command())
    assert speech.state.report.state == DeviceState.READY
    assert speech.describe()["available"] is True
    assert len(player.entries("end")) == 1  # the probe played (silence) to its end


def test_a_missing_player_is_reported_as_such(make_speech, tmp_path):
    speech = make_speech(player=str(tmp_path / "no-such-player"))
    assert speech.state.report.reason_key == "speech.no_audio_player"
    assert speech.describe()["player"] == ""
    speech.synthesize_to_file(SHORT_EN, "en", str(tmp_path / "ok.wav"))
    assert (tmp_path / "ok.wav").stat().st_size > 44


def test_say_after_close_is_ignored(player):
    speech = Pyttsx3Speech(player=player.command(), probe_audio=False)
    speech.close()
    speech.say(SHORT_EN, "en")
    assert not speech.speaking
    assert speech.state.report.reason_key == "speech.closed"
