"""pyttsx3 speech: the engine lives in a child process, audio plays through a killable player."""

from __future__ import annotations

import collections
import concurrent.futures
import logging
import os
import shutil
import tempfile
import threading

from devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable
from devices.speech import base
from devices.speech.base import SpeechBackend, UtteranceEvent, VoiceInfo
from devices.speech.jobs import FileJob, Utterance
from devices.speech.player import Playback, find_player, probe_output, write_silence
from devices.speech.synth_process import DEFAULT_CHILD_COMMAND, SynthProcess
from devices.speech.voices import choose_voice
from devices.state import DeviceState

log = logging.getLogger(__name__)
POLL_S = 0.05  # how often the worker looks for file jobs while audio plays


class Pyttsx3Speech(SpeechBackend):
    """Speech through pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSpeech on macOS).

    One worker thread ("speech-pyttsx3") feeds a synthesis child process and runs the player;
    the caller's thread only swaps the pending utterance and signals the player to stop.
    """

    driver_id = "pyttsx3"
    capabilities = frozenset({"say", "interrupt", "file", "voices", "rate", "volume"})

    def __init__(
        self,
        rate_wpm: int = base.DEFAULT_RATE_WPM,
        volume: float = base.DEFAULT_VOLUME,
        voices: dict[str, str] | None = None,
        player: str = "",
        *,
        probe_audio: bool = True,
        start_timeout_s: float = 20.0,
        synth_timeout_s: float = 10.0,
        child_command: list[str] | None = None,  # test seam: a child that hangs or dies on cue
    ) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._rate_wpm = base.clamp_rate(rate_wpm)
        self._volume = base.clamp_volume(volume)
        self._chosen_voices = {lang: vid for lang, vid in (voices or {}).items() if vid}
        self._player_argv = find_player(player)
        self._probe_audio = probe_audio
        self._synth = SynthProcess(
            child_command or DEFAULT_CHILD_COMMAND, start_timeout_s=start_timeout_s, synth_timeout_s=synth_timeout_s
        )
        self._generation = 0
        self._pending: Utterance | None = None
        self._current: Utterance | None = None
        self._file_jobs: collections.deque[FileJob] = collections.deque()
        self._playback: Playback | None = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self._engine_ready = threading.Event()
        self._engine_error = ""
        self._audio_ok: bool | None = None
        self._tmpdir = tempfile.mkdtemp(prefix="kiosk-speech-")

    # -- lifecycle -------------------------------------------------------------------------
    def open(self) -> None:
        """Start the worker (returns at once); state goes CONNECTING, then READY or ERROR."""
        with self._cond:
            if self._thread is not None or self._closing:
                return
            self._set_state(DeviceState.CONNECTING, base.REASON_STARTING)
            self._thread = threading.Thread(target=self._run, name="speech-pyttsx3", daemon=True)
            self._thread.start()

    def wait_ready(self, timeout_s: float = 30.0) -> bool:
        """Block until the engine start attempt has finished (worker/doctor/tests only)."""
        self.open()
        if self._closing:
            return self._engine_ready.is_set()
        return self._engine_ready.wait(timeout_s)

    def close(self) -> None:
        """Stop speaking, end the worker and the child process; idempotent. Blocks up to ~3 s."""
        with self._cond:
            self._closing = True
            self._pending = None
            if self._playback is not None:
                self._playback.interrupt()
            jobs = list(self._file_jobs)
            self._file_jobs.clear()
            thread = self._thread
            self._cond.notify_all()
        for job in jobs:
            job.future.set_exception(DeviceUnavailable("speech closed", key=base.REASON_CLOSED))
        self._synth.abort()  # a worker waiting on a starting or hung engine returns at once
        if thread is not None and thread is not threading.current_thread():
            thread.join(10.0)
        if thread is None:
            self._synth.close()
        shutil.rmtree(self._tmpdir, ignore_errors=True)
        self._set_state(DeviceState.DISCONNECTED, base.REASON_CLOSED)

    # -- caller side (any thread, returns at once) ------------------------------------------
    def say(self, text: str, lang: str) -> None:
        if not text.strip():
            return
        self.open()
        with self._cond:
            if self._closing:
                return
            self._pending = self._utterance(text, lang)
            if self._playback is not None:
                self._playback.interrupt()
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._generation += 1
            self._pending = None
            if self._playback is not None:
                self._playback.interrupt()

    def set_rate(self, rate_wpm: int) -> None:
        with self._cond:
            self._rate_wpm = base.clamp_rate(rate_wpm)

    def set_volume(self, volume: float) -> None:
        with self._cond:
            self._volume = base.clamp_volume(volume)

    def set_voice(self, lang: str, voice_id: str) -> None:
        with self._cond:
            if voice_id:
                self._chosen_voices[lang] = voice_id
            else:
                self._chosen_voices.pop(lang, None)

    @property
    def speaking(self) -> bool:
        with self._cond:
            return self._pending is not None or self._current is not None

    def synthesize_to_file(self, text: str, lang: str, path: str, timeout_s: float = 30.0) -> None:
        self.open()
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._cond:
            if self._closing:
                raise DeviceUnavailable("speech closed", key=base.REASON_CLOSED)
            self._file_jobs.append(FileJob(self._utterance(text, lang, new_generation=False), path, future))
            self._cond.notify_all()
        try:
            future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise DeviceTimeout(f"no WAV within {timeout_s} s", key=base.REASON_ENGINE_FAILED) from None

    def voices(self) -> list[VoiceInfo]:
        self.wait_ready(self._synth.start_timeout_s + 5.0)
        return list(self._synth.voices)

    def describe(self) -> dict[str, object]:
        report = self.state.report
        with self._cond:
            voices = {lang: self._voice_for(lang) for lang in ("zh_CN", "en")}
            rate, volume = self._rate_wpm, self._volume
        return {
            "engine": f"pyttsx3/{self._synth.engine_name}" if self._synth.engine_name else "pyttsx3",
            "voices": voices,
            "player": " ".join(self._player_argv),
            "available": report.state == DeviceState.READY,
            "synthesis": self._engine_ready.is_set() and not self._engine_error,
            "reason": report.reason_key,
            "detail": self._engine_error,
            "rate_wpm": rate,
            "volume": volume,
            "restarts": self._synth.restarts,
        }

    def _utterance(self, text: str, lang: str, new_generation: bool = True) -> Utterance:
        """Snapshot of the current settings (call with the lock held)."""
        if new_generation:
            self._generation += 1
        return Utterance(self._generation, text, lang, self._rate_wpm, self._volume, self._chosen_voices.get(lang, ""))

    def _voice_for(self, lang: str) -> str:
        return self._chosen_voices.get(lang) or choose_voice(lang, self._synth.voices)

    # -- worker thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._start_engine()
            while True:
                job = self._next_job()
                if job is None:
                    return
                if isinstance(job, FileJob):
                    self._do_file(job)
                else:
                    try:
                        self._speak(job)
                    finally:
                        with self._cond:
                            self._current = None
        finally:
            self._synth.close()

    def _start_engine(self) -> None:
        try:
            self._synth.start()
        except DeviceUnavailable as exc:
            self._engine_error = str(exc)
            log.error("%s", exc)
        if self._player_argv and self._probe_audio and not self._closing:
            probe = os.path.join(self._tmpdir, "probe.wav")
            write_silence(probe)
            self._audio_ok = probe_output(self._player_argv, probe)
        self._engine_ready.set()
        self._refresh_state()

    def _next_job(self) -> FileJob | Utterance | None:
        with self._cond:
            while not self._closing and not self._file_jobs and self._pending is None:
                self._cond.wait()
            if self._closing:
                return None
            if self._file_jobs:
                return self._file_jobs.popleft()
            self._current, self._pending = self._pending, None
            return self._current

    def _synthesize(self, utt: Utterance, path: str) -> None:
        voice_id = utt.voice_id or choose_voice(utt.lang, self._synth.voices)
        try:
            self._synth.synthesize(utt.text, voice_id, utt.rate_wpm, utt.volume, path)
        except DeviceError as exc:
            self._engine_error = "" if self._synth.running else str(exc)
            self._refresh_state()
            raise
        if self._engine_error:
            self._engine_error = ""
            self._refresh_state()

    def _do_file(self, job: FileJob) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            self._synthesize(job.utterance, job.path)
        except BaseException as exc:  # delivered to the caller through the future
            job.future.set_exception(exc)
        else:
            job.future.set_result(None)

    def _speak(self, utt: Utterance) -> None:
        path = os.path.join(self._tmpdir, f"utterance-{utt.generation}.wav")
        try:
            self._synthesize(utt, path)
        except DeviceError as exc:
            log.warning("utterance of %d characters not synthesised: %s", len(utt.text), exc)
            return
        try:
            self._play(utt, path)
        finally:
            if os.path.exists(path):
                os.remove(path)

    def _play(self, utt: Utterance, path: str) -> None:
        with self._cond:
            if self._closing or utt.generation != self._generation or not self._player_argv:
                return  # superseded by a newer say() or stop() while synthesising
            try:
                playback = self._playback = Playback(self._player_argv, path)
            except OSError as exc:
                log.warning("audio player cannot start: %s", exc)
                self._audio_ok = False
                playback = None
        if playback is None:
            self._refresh_state()
            return
        self.utterances.emit(UtteranceEvent("started", utt.text, utt.lang))
        code = None
        while code is None:
            code = playback.poll(POLL_S)
            self._drain_file_jobs()
        with self._cond:
            self._playback = None
        if not playback.interrupted:
            if self._audio_ok is not (code == 0):
                self._audio_ok = code == 0
                self._refresh_state()
        self.utterances.emit(
            UtteranceEvent("finished", utt.text, utt.lang, completed=code == 0 and not playback.interrupted)
        )

    def _drain_file_jobs(self) -> None:
        while True:
            with self._cond:
                if not self._file_jobs or self._closing:
                    return
                job = self._file_jobs.popleft()
            self._do_file(job)

    def _refresh_state(self) -> None:
        if self._closing:
            return
        if self._engine_error:
            self._set_state(DeviceState.ERROR, base.REASON_ENGINE_FAILED)
        elif not self._player_argv:
            self._set_state(DeviceState.ERROR, base.REASON_NO_AUDIO_PLAYER)
        elif self._audio_ok is False:
            self._set_state(DeviceState.ERROR, base.REASON_NO_AUDIO_OUTPUT)
        elif self._synth.restarts:
            self._set_state(DeviceState.READY, base.REASON_ENGINE_RESTARTED, count=self._synth.restarts)
        else:
            self._set_state(DeviceState.READY)
