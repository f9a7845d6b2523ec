"""Whether pyttsx3 can speak on this machine, checked without starting an engine."""

from __future__ import annotations

# The paths pyttsx3's espeak driver tries on Linux (pyttsx3/drivers/_espeak.py).
_ESPEAK_LIBRARIES = ("libespeak-ng.so.1", "/usr/local/lib/libespeak-ng.so.1", "libespeak.so.1")


def pyttsx3_available() -> tuple[bool, str]:
    """pyttsx3 importable and, off Windows/macOS, the espeak-ng library loadable."""
    import ctypes  # here: the speech registry is imported at start-up, the check runs later
    import importlib.util
    import platform

    if importlib.util.find_spec("pyttsx3") is None:
        return False, "Python package pyttsx3 is not installed"
    if platform.system() in ("Windows", "Darwin"):
        return True, ""  # SAPI5 / NSSpeechSynthesizer ship with the OS
    for name in _ESPEAK_LIBRARIES:
        try:
            ctypes.cdll.LoadLibrary(name)
        except OSError:
            continue
        return True, ""
    return False, "espeak-ng library (libespeak-ng1) is not installed"
