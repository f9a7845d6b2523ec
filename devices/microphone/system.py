"""The computer's own microphone; the recording itself is done by the UI's audio backend."""

from __future__ import annotations

import concurrent.futures
import os
import sys
from typing import Callable, ClassVar, Protocol

from devices.errors import DeviceUnavailable
from devices.microphone.base import KEY_NO_BACKEND, MAX_NOTE_S, Microphone, ProgressListener, Recording
from devices.state import DeviceState



class RecorderBackend(Protocol):
    """What the UI's audio backend offers (same meaning as Microphone's methods)."""

    @property
    def recording(self) -> bool: ...

    def record_async(self, max_s: float, on_progress: ProgressListener | None
                     ) -> concurrent.futures.Future[Recording]: ...

    def stop(self) -> None: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


BackendFactory = Callable[["SystemMicrophone"], RecorderBackend]


ALSA_CARDS = "/proc/asound/cards"


def sound_card_availability(cards: str = ALSA_CARDS) -> tuple[bool, str]:
    """On Linux, whether ALSA lists a sound card (no card: no microphone); elsewhere assumed."""
    if not sys.platform.startswith("linux"):
        return True, ""
    if not os.path.exists(cards):
        return False, f"no sound card: {cards} does not exist (no audio driver loaded)"
    with open(cards, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    if "no soundcards" in text or not text.strip():
        return False, f"no sound card: {cards} lists none"
    return True, ""


class SystemMicrophone(Microphone):
    """The system's default (or a named) audio input.

    Recording needs an audio stack this Qt-free package does not have: the UI installs a
    backend factory (QtMultimedia) with :meth:`install_backend`; the backend is created on
    first use in the caller's thread (the Qt thread) and receives this driver to report state.
    """

    driver_id = "system"
    _factory: ClassVar[BackendFactory | None] = None

    def __init__(self, device: str = "") -> None:
        super().__init__()
        self.device = device  # a description substring of the wanted input; empty = default input
        self._backend: RecorderBackend | None = None

    @classmethod
    def install_backend(cls, factory: BackendFactory | None) -> None:
        cls._factory = factory

    def set_state(self, state: DeviceState, reason_key: str = "", **params: object) -> None:
        """For the backend: report the microphone's state under this driver."""
        self._set_state(state, reason_key, **params)

    def _backend_or_raise(self) -> RecorderBackend:
        if self._backend is None:
            factory = type(self)._factory
            if factory is None:
                self._set_state(DeviceState.ERROR, KEY_NO_BACKEND)
                raise DeviceUnavailable("no audio backend installed", key=KEY_NO_BACKEND)
            self._backend = factory(self)
        return self._backend

    def open(self) -> None:
        if self.state.state is DeviceState.DISCONNECTED:
            self._set_state(DeviceState.READY)

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()
        self._set_state(DeviceState.DISCONNECTED)

    def record_async(self, max_s: float = MAX_NOTE_S,
                     on_progress: ProgressListener | None = None) -> concurrent.futures.Future[Recording]:
        try:
            backend = self._backend_or_raise()
        except DeviceUnavailable as exc:
            future: concurrent.futures.Future[Recording] = concurrent.futures.Future()
            future.set_exception(exc)
            return future
        return backend.record_async(min(max_s, MAX_NOTE_S), on_progress)

    def stop(self) -> None:
        if self._backend is not None:
            self._backend.stop()

    def cancel(self) -> None:
        if self._backend is not None:
            self._backend.cancel()

    @property
    def recording(self) -> bool:
        return self._backend is not None and self._backend.recording
