"""Speech: engine start, synthesis latency, say() cost on the caller, lag of a ticking thread."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from devices.speech.pyttsx3_backend import Pyttsx3Speech
from devices.speech.synth_process import SynthProcess

SENTENCE_ZH = "您好，请把手臂平放在桌面上，保持安静。"
REPEATS = 30
TICK_S = 0.005


def _engine_numbers(folder: Path) -> list[tuple[str, float, str]]:
    synth = SynthProcess()
    try:
        start = time.perf_counter()
        synth.start()
        start_ms = (time.perf_counter() - start) * 1000.0
        times = []
        for i in range(REPEATS):
            t0 = time.perf_counter()
            synth.synthesize(SENTENCE_ZH, "sit/cmn", 140, 0.8, str(folder / f"s{i}.wav"))
            times.append((time.perf_counter() - t0) * 1000.0)
    finally:
        synth.close()
    return [
        ("speech engine child start to ready", start_ms, "ms"),
        ("speech synthesis of a short Mandarin sentence (median)", statistics.median(times), "ms"),
    ]


def _say_numbers() -> list[tuple[str, float, str]]:
    player = shutil.which("true") or "true"  # plays nothing, exits at once: latency only
    speech = Pyttsx3Speech(player=player, probe_audio=False)
    started = threading.Event()
    speech.subscribe_utterances(lambda e: e.kind == "started" and started.set())
    lags: list[float] = []
    stop = threading.Event()

    def ticker() -> None:  # stands in for the Qt event loop: how late does a 5 ms tick fire?
        while not stop.is_set():
            t0 = time.perf_counter()
            time.sleep(TICK_S)
            lags.append((time.perf_counter() - t0 - TICK_S) * 1000.0)

    try:
        speech.wait_ready(30.0)
        to_audio, call_us = [], []
        tick = threading.Thread(target=ticker, name="bench-ticker")
        tick.start()
        for _ in range(REPEATS):
            started.clear()
            t0 = time.perf_counter()
            speech.say(SENTENCE_ZH, "zh_CN")
            call_us.append((time.perf_counter() - t0) * 1e6)
            if started.wait(10.0):
                to_audio.append((time.perf_counter() - t0) * 1000.0)
            while speech.speaking:
                time.sleep(0.002)
        stop.set()
        tick.join()
    finally:
        speech.close()
    return [
        ("speech say() call on the caller thread (max)", max(call_us), "us"),
        ("speech say() to player start (median)", statistics.median(to_audio), "ms"),
        ("ticking thread lag while speaking (max)", max(lags), "ms"),
    ]


def run() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as folder:
        rows = _engine_numbers(Path(folder))
    return rows + _say_numbers()


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:60s} {value:10.2f} {unit}")
