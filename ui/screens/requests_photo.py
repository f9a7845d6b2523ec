"""Optional photo for a report: live preview, take, look at it, retake or use (camera device role)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n import _, sentences
from ui.screens import register_screen
from ui.widgets.requests_flow import Flow, sample_flow, sample_photo
from ui.widgets.requests_parts import RequestsScreen, go_back, resident_reason, set_texts, text_label

log = logging.getLogger(__name__)

VIEW_W, VIEW_H = 960, 540
CAMERA_ERROR = "camera.not_found"


def frame_pixmap(frame: np.ndarray, width_px: int, height_px: int) -> QPixmap:
    """A BGR frame as a pixmap that fits ``width_px`` x ``height_px``."""
    frame = np.ascontiguousarray(frame)
    h, w = frame.shape[:2]
    image = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888).copy()
    return QPixmap.fromImage(image).scaled(width_px, height_px, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)


def jpeg_pixmap(jpeg: bytes, width_px: int, height_px: int) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(jpeg, "JPEG")
    return pixmap.scaled(width_px, height_px, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


@register_screen
class RequestsPhotoScreen(RequestsScreen):
    """States: preview (live), taking, taken (the still, to use or retake), error (no camera)."""

    name = "requests_photo"
    frame_arrived = Signal(object)  # a camera thread's preview frame, re-emitted on the Qt thread
    camera_changed = Signal(object)  # the camera's StateReport, from its thread

    def build(self) -> None:
        self.flow: Flow | None = None
        self.photo: bytes | None = None
        self.error_key = ""
        self.camera: Any = None
        self._unsubscribe: Any = None
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsPhotoHeading", "heading")
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(gap * 2)
        self.view = QLabel()
        self.view.setObjectName("requestsPhotoView")
        self.view.setFixedSize(VIEW_W, VIEW_H)
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setStyleSheet("background: #202020;")
        row.addWidget(self.view, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.setSpacing(gap)
        self.hint = text_label("requestsPhotoHint")
        self.take_button = self.button("requestsPhotoTake")
        self.use_button = self.button("requestsPhotoUse")
        self.retake_button = self.button("requestsPhotoRetake", "secondary")
        self.remove_button = self.button("requestsPhotoRemove", "secondary")
        self.cancel_button = self.button("requestsPhotoCancel", "secondary")
        side.addWidget(self.hint)
        for btn in (self.take_button, self.use_button, self.retake_button, self.remove_button, self.cancel_button):
            side.addWidget(btn)
        side.addStretch(1)
        row.addLayout(side, 1)
        layout.addLayout(row, 1)

    def retranslate(self) -> None:
        state = self.state
        self.heading.setText(_("Take a photo of the problem"))
        self.hint.setText(self._hint())
        set_texts(self.take_button, _("Taking…") if state == "taking" else _("Take photo"))
        self.take_button.setEnabled(state != "taking")
        set_texts(self.use_button, _("Use this photo"))
        set_texts(self.retake_button, _("Try again") if state == "error" else _("Take it again"))
        set_texts(self.remove_button, _("No photo"))
        set_texts(self.cancel_button, _("Go back"))
        self.take_button.setVisible(state in ("default", "taking"))
        self.use_button.setVisible(state == "taken")
        self.retake_button.setVisible(state in ("taken", "error"))
        has_photo = bool(self.flow is not None and self.flow.draft.photo_jpeg)
        self.remove_button.setVisible(has_photo)  # "No photo" drops the one already added
        self.cancel_button.setVisible(not has_photo)
        self.view.setAccessibleName(_("Camera picture"))

    def _hint(self) -> str:
        if self.state == "taken":
            return _("Is the problem easy to see? Use this photo, or take it again.")
        if self.state == "error":
            return sentences(_(self.error_key or CAMERA_ERROR), _("You can send the report without a photo."))
        return _("Hold the problem in front of the camera, or point the camera at it. Then touch Take photo.")

    def connect_signals(self) -> None:
        self.frame_arrived.connect(self._show_frame)
        self.camera_changed.connect(self._camera_changed)
        self.take_button.clicked.connect(self.take)
        self.use_button.clicked.connect(self.use)
        self.retake_button.clicked.connect(self.retake)
        self.remove_button.clicked.connect(self.remove)
        self.cancel_button.clicked.connect(lambda: go_back(self))

    def prompt(self) -> str:
        return sentences(_("Take a photo of the problem."), self._hint())

    def title(self) -> str:
        return _("Take a photo of the problem")

    def states(self) -> list[str]:
        return ["default", "taking", "taken", "error"]

    def set_state(self, state: str) -> None:
        """Sample states (screenshots): the simulated camera's picture as preview and photo."""
        if self.flow is None:
            self.flow = sample_flow("safety_hazard")
        if state in ("default", "taking", "taken") and self.camera is None:
            self.view.setPixmap(jpeg_pixmap(sample_photo(), VIEW_W, VIEW_H))
        if state == "error":
            self.view.clear()
            self.error_key = self.error_key or CAMERA_ERROR
        super().set_state(state)

    def reset_personal(self) -> None:
        self._stop_camera()
        self.flow, self.photo, self.error_key = None, None, ""
        self.view.clear()
        super().reset_personal()

    def enter(self, **params: object) -> None:
        flow = params.get("flow")
        if isinstance(flow, Flow):
            self.flow = flow
        self.photo, self.error_key = None, ""
        self.view.clear()
        if self.flow is not None and self.flow.draft.photo_jpeg:
            self.photo = self.flow.draft.photo_jpeg
            self.view.setPixmap(jpeg_pixmap(self.photo, VIEW_W, VIEW_H))
            super().set_state("taken")
            return
        self._start_preview()

    def leave(self) -> None:
        super().leave()
        self._stop_camera()

    # camera ------------------------------------------------------------------------------------
    def _start_preview(self) -> None:
        hub = getattr(self.runtime, "devices", None)
        camera = hub.get("camera") if hub is not None else None
        if camera is None:
            report = hub.state("camera") if hub is not None else None
            self.error_key = resident_reason(report.reason_key if report is not None else "", "camera")
            self.set_state("error") if hub is None else super().set_state("error")
            return
        self.camera = camera
        self._unsubscribe = camera.state.subscribe(self.camera_changed.emit)
        try:
            camera.start_preview(self.frame_arrived.emit)
        except Exception as exc:  # noqa: BLE001 - a closed camera: say so, never crash
            self._failed(exc)
            return
        super().set_state("default")

    def _stop_camera(self) -> None:
        camera, self.camera = self.camera, None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if camera is not None:
            camera.stop_preview(wait=False)

    def _camera_changed(self, report: Any) -> None:
        """A camera that cannot open or goes away during the preview: say so at once."""
        from devices.state import DeviceState

        if report.state is DeviceState.ERROR and self.camera is not None and self.state == "default":
            self._stop_camera()
            self.error_key = resident_reason(report.reason_key, "camera")
            self.view.clear()
            self.show_state("error")

    def _show_frame(self, frame: Any) -> None:
        if self.state in ("default", "taking") and self.camera is not None:
            self.view.setPixmap(frame_pixmap(frame, VIEW_W, VIEW_H))

    def take(self) -> None:
        if self.camera is None or self.state == "taking":
            return
        self.show_state("taking", speak=False)
        self.watch(self.camera.capture_async(), self._taken, self._failed)

    def _taken(self, photo: Any) -> None:
        self._stop_camera()
        self.photo = photo.jpeg
        self.view.setPixmap(jpeg_pixmap(self.photo, VIEW_W, VIEW_H))
        self.show_state("taken")

    def _failed(self, exc: BaseException) -> None:
        log.warning("photo not taken: %s", type(exc).__name__)
        self._stop_camera()
        self.error_key = resident_reason(getattr(exc, "key", ""), "camera")
        self.view.clear()
        self.show_state("error")

    def retake(self) -> None:
        self.photo = None
        self.view.clear()
        self._start_preview()
        self.ctx.voice.speak_prompt(self.prompt(), self._lang())

    def use(self) -> None:
        if self.flow is not None and self.photo:
            self.flow.draft.photo_jpeg = self.photo
        go_back(self)

    def remove(self) -> None:
        if self.flow is not None:
            self.flow.draft.photo_jpeg = None
        go_back(self)

    @staticmethod
    def _lang() -> str:
        from kiosk.i18n import current_language

        return current_language()
