"""Child-process side of speech: owns the one pyttsx3 engine and writes utterances to WAV files.

Run as ``python -m devices.speech.synth_child``. JSON lines on stdin (requests) and on the
original stdout (replies); fd 1 itself is pointed at /dev/null because pyttsx3 prints.
With espeak-ng the engine's own binding is driven directly (EspeakWavWriter says why).
  child -> parent first:  {"op": "ready", "engine": name, "voices": [[id, name, [langs]], ...]}
                      or  {"op": "failed", "detail": text}
  parent -> child:        {"op": "synth", "id": n, "text", "voice", "rate_wpm", "volume", "path"}
  child -> parent:        {"op": "done", "id": n} or {"op": "error", "id": n, "detail": text}
  parent -> child:        {"op": "quit"} (or end of input)
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import threading
import time
import wave
from typing import Any, BinaryIO

FINISH_WAIT_S = 120.0


class JsonLines:
    """One JSON object per line in each direction; ASCII-only so no encoding can bite."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO) -> None:
        self._reader = reader
        self._writer = writer

    def recv(self) -> dict[str, Any]:
        line = self._reader.readline()
        if not line:
            raise EOFError("parent closed the pipe")
        return json.loads(line)

    def send(self, message: dict[str, Any]) -> None:
        self._writer.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
        self._writer.flush()


def open_channel() -> JsonLines:
    """Keep the real stdout for replies, then silence fd 1: pyttsx3's espeak driver prints
    "Audio saved to ..." for every file."""
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    return JsonLines(sys.stdin.buffer, replies)


class EspeakWavWriter:
    """Synthesis to WAV through pyttsx3's espeak-ng binding, bypassing the driver's run loop.

    pyttsx3 2.99 initialises espeak-ng in AUDIO_OUTPUT_RETRIEVAL mode, which is asynchronous:
    runAndWait can return before espeak's thread has written the file (long sentences came back
    empty or cut), the driver's callback flips its busy flag and ends its loop from espeak's
    thread (a next request was cancelled), and SetVoiceByName is not queued, so changing the
    voice while the previous text is still rendering changed it mid-sentence. Here each request
    waits for espeak-ng's end-of-message event and for its thread to go idle before the next.
    """

    SAMPLE_RATE_HZ = 22050  # espeak-ng's output rate (what pyttsx3 writes in its headers too)

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak  # loaded by pyttsx3.init(): espeak is initialised

        self._espeak = _espeak
        self._chunks: list[bytes] = []
        self._done = threading.Event()
        _espeak.SetSynthCallback(self._on_synth)  # replaces the driver's: its say() is never used

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        # runs on espeak-ng's thread
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        i = 0
        while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self._espeak.EVENT_MSG_TERMINATED:
                self._done.set()
            i += 1
        return 0  # 0 = go on synthesising

    def _wait_idle(self, deadline: float) -> None:
        while self._espeak.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.002)

    def write(self, text: str, voice_id: str, rate_wpm: int, volume: float, path: str) -> None:
        deadline = time.monotonic() + FINISH_WAIT_S
        self._wait_idle(deadline)
        self._chunks, self._done = [], threading.Event()
        if voice_id and self._espeak.SetVoiceByName(voice_id.encode("utf-8")) != 0:
            raise ValueError(f"espeak-ng has no voice {voice_id!r}")
        self._espeak.SetParameter(self._espeak.RATE, int(rate_wpm), 0)
        self._espeak.SetParameter(self._espeak.VOLUME, int(round(volume * 100)), 0)
        flags = self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8
        if self._espeak.Synth(text.encode("utf-8"), flags=flags) != 0:
            raise RuntimeError("espeak-ng refused the text (buffer full)")
        if not self._done.wait(max(0.0, deadline - time.monotonic())):
            raise RuntimeError("espeak-ng never finished the utterance")
        self._wait_idle(deadline)
        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.SAMPLE_RATE_HZ)
            out.writeframes(b"".join(self._chunks))


def _save_with_pyttsx3(engine: Any, text: str, voice_id: str, rate_wpm: int, volume: float, path: str) -> None:
    """SAPI5 / NSSpeech: save_to_file writes the file synchronously inside runAndWait."""
    if engine._inLoop:  # pyttsx3 quirk: a loop left running makes runAndWait raise
        engine.endLoop()
    if voice_id:
        engine.setProperty("voice", voice_id)
    engine.setProperty("rate", int(rate_wpm))
    engine.setProperty("volume", float(volume))
    engine.save_to_file(text, path)
    try:
        engine.runAndWait()
    except RuntimeError as exc:
        if "run loop already started" not in str(exc):
            raise
        engine.endLoop()
        engine.save_to_file(text, path)
        engine.runAndWait()


def _run(engine: Any, espeak: EspeakWavWriter | None, request: dict[str, Any]) -> None:
    path = request["path"]
    args = (request["text"], request.get("voice") or "", int(request["rate_wpm"]), float(request["volume"]), path)
    if espeak is not None:
        espeak.write(*args)
    else:
        _save_with_pyttsx3(engine, *args)
    if not os.path.exists(path) or os.path.getsize(path) <= 44:  # 44 bytes = bare WAV header
        raise RuntimeError("engine wrote no audio")


def _voices(engine: Any) -> list[list[Any]]:
    found = []
    for voice in engine.getProperty("voices") or []:
        languages = [
            lang.decode("utf-8", "ignore") if isinstance(lang, bytes) else str(lang)
            for lang in (getattr(voice, "languages", None) or ())
        ]
        found.append([str(voice.id), str(getattr(voice, "name", "") or voice.id), languages])
    return found


def serve(channel: Any) -> None:
    """Start the engine, then answer requests until "quit" or end of input."""
    try:
        import pyttsx3

        engine = pyttsx3.init()
        espeak = EspeakWavWriter() if str(engine) == "espeak" else None
        channel.send({"op": "ready", "engine": str(engine), "voices": _voices(engine)})
    except Exception as exc:  # any engine failure is reported, never raised into the void
        channel.send({"op": "failed", "detail": f"{type(exc).__name__}: {exc}"})
        return
    while True:
        try:
            request = channel.recv()
        except (EOFError, OSError, ValueError):  # parent went away or sent garbage
            return
        if request.get("op") != "synth":
            return
        try:
            _run(engine, espeak, request)
        except Exception as exc:
            channel.send({"op": "error", "id": request["id"], "detail": f"{type(exc).__name__}: {exc}"})
        else:
            channel.send({"op": "done", "id": request["id"]})


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent; it stops us
    serve(open_channel())


if __name__ == "__main__":
    main()
