"""The system microphone recorded with QtMultimedia (QMediaCaptureSession + QAudioInput + QMediaRecorder)."""

from __future__ import annotations

import concurrent.futures
import logging
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl

from devices.errors import Cancelled, DeviceError, DeviceUnavailable
from devices.microphone.base import KEY_BUSY, KEY_FAILED, KEY_NOT_FOUND, KEY_RECORDING, MAX_NOTE_S, \
    ProgressListener, Recording
from devices.microphone.system import SystemMicrophone
from devices.state import DeviceState

log = logging.getLogger(__name__)

START_TIMEOUT_MS = 4000  # a recorder that has not started by then never will (no device, no codec)
# Compressed first: a minute of AAC is ~250 KB, of 16 kHz WAV ~1.9 MB (MAX_VOICE_BYTES is 4 MB).
FORMATS = (("Mpeg4Audio", "AAC", "audio/mp4", ".m4a"), ("Wave", "Wave", "audio/wav", ".wav"))


class QtMicrophone(QObject):
    """Backend of devices' SystemMicrophone; lives and records on the Qt thread only.

    With no audio input (no sound card) ``record_async`` fails at once with DeviceUnavailable
    (``microphone.not_found``) and the owner's state says so: the screen explains, nothing crashes.
    """

    def __init__(self, owner: SystemMicrophone) -> None:
        super().__init__()
        self.owner = owner
        self._session = None
        self._recorder = None
        self._input = None
        self._future: concurrent.futures.Future[Recording] | None = None
        self._path: Path | None = None
        self._mime = ""
        self._duration_s = 0.0
        self._max_s = MAX_NOTE_S
        self._discard = False
        self._on_progress: ProgressListener | None = None
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._start_timed_out)

    def close(self) -> None:
        self.cancel()
        self._start_timer.stop()

    @property
    def recording(self) -> bool:
        return self._future is not None and not self._future.done()

    # recording -----------------------------------------------------------------------------------
    def record_async(self, max_s: float = MAX_NOTE_S,
                     on_progress: ProgressListener | None = None) -> concurrent.futures.Future[Recording]:
        future: concurrent.futures.Future[Recording] = concurrent.futures.Future()
        if self.recording:
            future.set_exception(DeviceUnavailable("already recording", key=KEY_BUSY))
            return future
        from PySide6.QtMultimedia import QAudioInput, QMediaCaptureSession, QMediaDevices, QMediaFormat, QMediaRecorder

        device = self._pick_input(QMediaDevices)
        if device is None:
            self.owner.set_state(DeviceState.ERROR, KEY_NOT_FOUND)
            future.set_exception(DeviceUnavailable("no audio input", key=KEY_NOT_FOUND))
            return future
        media_format, self._mime, suffix = self._format(QMediaFormat)
        fd, name = tempfile.mkstemp(prefix="voice-note-", suffix=suffix)
        os.close(fd)
        self._path = Path(name)
        self._input = QAudioInput(device)
        self._session = QMediaCaptureSession()
        self._recorder = QMediaRecorder()
        self._session.setAudioInput(self._input)
        self._session.setRecorder(self._recorder)
        self._recorder.setMediaFormat(media_format)
        self._recorder.setAudioChannelCount(1)
        self._recorder.setQuality(QMediaRecorder.Quality.NormalQuality)
        self._recorder.setOutputLocation(QUrl.fromLocalFile(name))
        self._recorder.durationChanged.connect(self._on_duration)
        self._recorder.recorderStateChanged.connect(self._on_state)
        self._recorder.errorOccurred.connect(self._on_error)
        self._future, self._max_s, self._on_progress = future, min(max_s, MAX_NOTE_S), on_progress
        self._discard, self._duration_s = False, 0.0
        self._recorder.record()
        self._start_timer.start(START_TIMEOUT_MS)
        self.owner.set_state(DeviceState.BUSY, KEY_RECORDING)
        return future

    def _pick_input(self, media_devices):  # type: ignore[no-untyped-def]
        inputs = media_devices.audioInputs()
        if not inputs:
            return None
        wanted = self.owner.device.lower()
        for device in inputs:
            if wanted and wanted in device.description().lower():
                return device
        default = media_devices.defaultAudioInput()
        return default if not default.isNull() else inputs[0]

    @staticmethod
    def _format(media_format_cls):  # type: ignore[no-untyped-def]
        for file_format, codec, mime, suffix in FORMATS:
            fmt = media_format_cls(getattr(media_format_cls.FileFormat, file_format))
            fmt.setAudioCodec(getattr(media_format_cls.AudioCodec, codec))
            if fmt.isSupported(media_format_cls.ConversionMode.Encode):
                return fmt, mime, suffix
        return media_format_cls(media_format_cls.FileFormat.Wave), "audio/wav", ".wav"

    def stop(self) -> None:
        if self._recorder is not None and self.recording:
            self._recorder.stop()

    def cancel(self) -> None:
        if self.recording:
            self._discard = True
            if self._recorder is not None:
                self._recorder.stop()
            self._finish(Cancelled("voice note discarded"))

    # recorder signals (Qt thread) ----------------------------------------------------------------
    def _on_duration(self, ms: int) -> None:
        self._start_timer.stop()
        self._duration_s = ms / 1000.0
        if self._on_progress is not None:
            self._on_progress(min(self._duration_s, self._max_s))
        if self._duration_s >= self._max_s:
            self.stop()

    def _on_state(self, state) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtMultimedia import QMediaRecorder

        if state == QMediaRecorder.RecorderState.RecordingState:
            self._start_timer.stop()
        elif state == QMediaRecorder.RecorderState.StoppedState and self.recording:
            if self._discard:
                self._finish(Cancelled("voice note discarded"))
                return
            try:
                data = self._path.read_bytes() if self._path is not None else b""
            except OSError as exc:
                self._finish(DeviceError(f"voice note unreadable: {exc}", key=KEY_FAILED))
                return
            if not data:
                self._finish(DeviceError("the recorder wrote nothing", key=KEY_FAILED))
                return
            self._finish(Recording(data, self._mime, min(self._duration_s, self._max_s)))

    def _on_error(self, error, text: str) -> None:  # type: ignore[no-untyped-def]
        log.warning("voice note recorder error %s: %s", getattr(error, "name", error), text)
        self.owner.set_state(DeviceState.ERROR, KEY_FAILED)
        self._finish(DeviceError(text or "recorder error", key=KEY_FAILED))

    def _start_timed_out(self) -> None:
        if self.recording:
            log.warning("voice note recorder did not start within %d ms", START_TIMEOUT_MS)
            self._discard = True
            if self._recorder is not None:
                self._recorder.stop()
            self.owner.set_state(DeviceState.ERROR, KEY_NOT_FOUND)
            self._finish(DeviceUnavailable("recorder did not start", key=KEY_NOT_FOUND))

    def _finish(self, outcome: Recording | BaseException) -> None:
        future, self._future = self._future, None
        self._start_timer.stop()
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None
        if self._recorder is not None:
            self._recorder.deleteLater()
            self._recorder = None
        self._session = self._input = None
        if isinstance(outcome, Recording) or (isinstance(outcome, BaseException) and self.owner.state.state
                                              is DeviceState.BUSY):
            self.owner.set_state(DeviceState.READY)
        if future is None or future.done():
            return
        if isinstance(outcome, Recording):
            future.set_result(outcome)
        else:
            future.set_exception(outcome)


def install() -> None:
    """Let devices' "system" microphone record through QtMultimedia (call once, Qt side)."""
    SystemMicrophone.install_backend(QtMicrophone)
