"""Plays a WAV file through a killable audio-player subprocess (aplay, paplay, pw-play...)."""

from __future__ import annotations

import logging
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
import wave

log = logging.getLogger(__name__)

# Tried in order when no player is configured. aplay talks to ALSA directly and needs no
# sound server; paplay/pw-play need PulseAudio/PipeWire running.
_CANDIDATES = (("aplay", "-q"), ("paplay",), ("pw-play",), ("afplay",))
# Windows has no command-line WAV player: winsound in a child Python stays killable.
_WINSOUND = (sys.executable, "-c", "import sys,winsound; winsound.PlaySound(sys.argv[1], winsound.SND_FILENAME)")
TERMINATE_GRACE_S = 0.5


def find_player(configured: str = "") -> list[str]:
    """The player command (without the file) from config, or the first one installed; [] if none."""
    if configured.strip():
        argv = shlex.split(configured, posix=os.name != "nt")
        return argv if shutil.which(argv[0]) or os.path.isfile(argv[0]) else []
    if platform.system() == "Windows":
        return list(_WINSOUND)
    for candidate in _CANDIDATES:
        if shutil.which(candidate[0]):
            return list(candidate)
    return []


def write_silence(path: str, duration_s: float = 0.05, rate_hz: int = 22050) -> None:
    """A short silent 16-bit mono WAV: probing the audio output makes no audible sound."""
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(b"\x00\x00" * int(rate_hz * duration_s))


class Playback:
    """One running player process; ``interrupt`` may be called from any thread."""

    def __init__(self, argv: list[str], wav_path: str) -> None:
        self._proc = subprocess.Popen(
            [*argv, wav_path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # aplay prints ALSA errors for every missing card
        )
        self._interrupted_at: float | None = None

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def interrupted(self) -> bool:
        return self._interrupted_at is not None

    def interrupt(self) -> None:
        """Ask the player to stop now (SIGTERM); ``poll`` escalates to SIGKILL if it lingers."""
        if self._interrupted_at is None:
            self._interrupted_at = time.monotonic()
        if self._proc.poll() is None:
            try:
                self._proc.terminate()
            except OSError:  # exited between poll and terminate
                pass

    def poll(self, timeout_s: float) -> int | None:
        """Wait up to ``timeout_s`` for the exit code (None: still playing). Worker thread only."""
        try:
            return self._proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            pass
        if self._interrupted_at is not None and time.monotonic() - self._interrupted_at > TERMINATE_GRACE_S:
            self._proc.kill()  # a player that ignores SIGTERM (stuck in a driver call)
            return self._proc.wait()
        return None

    def wait(self, timeout_s: float) -> int:
        """Block until the player exits, interrupting it after ``timeout_s``."""
        code = self.poll(timeout_s)
        if code is None:
            self.interrupt()
            while code is None:
                code = self.poll(0.05)
        return code


def probe_output(argv: list[str], wav_path: str, timeout_s: float = 5.0) -> bool:
    """Play ``wav_path`` (silence) once: True when the player reports success."""
    try:
        playback = Playback(argv, wav_path)
    except OSError as exc:
        log.warning("audio player %s cannot start: %s", argv[0], exc)
        return False
    code = playback.wait(timeout_s)
    if code != 0:
        log.warning("audio player %s exited with %s: no audio output", argv[0], code)
    return code == 0
