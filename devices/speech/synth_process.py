"""Parent side of the synthesis child: requests with a deadline, kill and restart on a hang."""

from __future__ import annotations

import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

from devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable
from devices.messages import N_
from devices.speech.base import VoiceInfo

log = logging.getLogger(__name__)

# A plain subprocess rather than multiprocessing: spawn re-imports the parent's __main__,
# which breaks (or re-runs) any unguarded script that uses the kiosk.
DEFAULT_CHILD_COMMAND = (sys.executable, "-m", "devices.speech.synth_child")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _read_replies(stream: BinaryIO, replies: queue.Queue[dict[str, Any] | None]) -> None:
    """Reader thread: one JSON reply per line until the child's stdout closes."""
    try:
        for line in stream:
            try:
                replies.put(json.loads(line))
            except ValueError:
                log.warning("speech engine sent a malformed line of %d bytes", len(line))
    except (OSError, ValueError):  # pipe closed under us while discarding the child
        pass
    finally:
        replies.put(None)


class SynthProcess:
    """Owns one synthesis child process. Not thread-safe: one worker thread drives it."""

    def __init__(
        self,
        command: tuple[str, ...] | list[str] = DEFAULT_CHILD_COMMAND,
        *,
        start_timeout_s: float = 20.0,
        synth_timeout_s: float = 10.0,
    ) -> None:
        self._command = list(command)
        self.start_timeout_s = start_timeout_s
        self.synth_timeout_s = synth_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._ids = itertools.count(1)
        self.engine_name = ""
        self.voices: list[VoiceInfo] = []
        self.restarts = 0  # times a hung or dead child was replaced
        self._aborted = False

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the child and wait for its engine (blocking). Raises DeviceUnavailable."""
        if self.running:
            return
        self._discard()
        if self._aborted:
            raise DeviceUnavailable("speech engine closed", key=N_("speech.closed"))
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flash on Windows
        try:
            self._proc = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_child_env(),
                creationflags=flags,
            )
        except OSError as exc:
            raise DeviceUnavailable(f"speech engine cannot start: {exc}", key=N_("speech.engine_failed")) from None
        if self._aborted:  # close() ran while we were starting the child
            self._discard()
            raise DeviceUnavailable("speech engine closed", key=N_("speech.closed"))
        self._replies = queue.Queue()
        assert self._proc.stdout is not None
        self._reader = threading.Thread(
            target=_read_replies, args=(self._proc.stdout, self._replies), name="speech-synth-reader", daemon=True
        )
        self._reader.start()
        try:
            reply = self._receive(self.start_timeout_s)
        except DeviceError as exc:
            self._discard()
            raise DeviceUnavailable(f"speech engine did not start: {exc}", key=N_("speech.engine_failed")) from None
        if reply.get("op") != "ready":
            self._discard()
            raise DeviceUnavailable(f"speech engine failed: {reply.get('detail')}", key=N_("speech.engine_failed"))
        self.engine_name = str(reply.get("engine", ""))
        self.voices = [VoiceInfo(str(v[0]), str(v[1]), tuple(v[2])) for v in reply.get("voices", [])]

    def synthesize(self, text: str, voice_id: str, rate_wpm: int, volume: float, path: str) -> None:
        """Write a WAV at ``path`` (blocking, at most ``synth_timeout_s`` once the engine runs).

        A child that misses the deadline or dies is killed and a fresh one is started before
        this raises DeviceTimeout / DeviceError, so the next request finds a working engine.
        """
        self.start()
        request_id = next(self._ids)
        request = {"op": "synth", "id": request_id, "text": text, "voice": voice_id,
                   "rate_wpm": int(rate_wpm), "volume": float(volume), "path": path}
        try:
            self._send(request)
            reply = self._receive(self.synth_timeout_s)
        except DeviceError:
            self._restart()
            raise
        if reply.get("op") != "done" or reply.get("id") != request_id:
            raise DeviceError(f"speech synthesis failed: {reply.get('detail')}", key=N_("speech.engine_failed"))

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
            self._proc.stdin.flush()
        except OSError as exc:
            raise DeviceError(f"speech engine pipe failed: {exc}", key=N_("speech.engine_restarted")) from None

    def _receive(self, timeout_s: float) -> dict[str, Any]:
        try:
            reply = self._replies.get(timeout=timeout_s)
        except queue.Empty:
            raise DeviceTimeout(f"speech engine silent for {timeout_s:.1f} s", key=N_("speech.engine_restarted")) from None
        if reply is None:
            code = self._proc.wait() if self._proc is not None else None
            raise DeviceError(f"speech engine exited (code {code})", key=N_("speech.engine_restarted"))
        return reply

    def abort(self) -> None:
        """Kill the child from any thread so a worker blocked on it returns; no restarts after."""
        self._aborted = True
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                proc.kill()
            except OSError:
                pass

    def _restart(self) -> None:
        if self._aborted:
            self._discard()
            return
        log.warning("speech engine hung or died (pid %s); starting a fresh one", self.pid)
        self.restarts += 1
        self._discard()
        try:
            self.start()
        except DeviceUnavailable as exc:  # the next request tries again
            log.error("speech engine restart failed: %s", exc)

    def _discard(self) -> None:
        """Kill and reap the child (if any), close its pipes and end the reader thread."""
        proc, reader = self._proc, self._reader
        self._proc = self._reader = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if reader is not None:
            reader.join(5.0)  # a dead child closes its stdout: the reader sees the end
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass

    def close(self, timeout_s: float = 2.0) -> None:
        """Ask the child to quit (end of input), kill it if it lingers; idempotent."""
        proc = self._proc
        if proc is not None and proc.poll() is None and proc.stdin is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout_s)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._discard()
