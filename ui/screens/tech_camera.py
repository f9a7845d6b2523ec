"""Technician camera preview: the scanner camera's picture with boxes and text of decoded codes."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.tech_camera_feed import CameraFeed, FeedFrame, SyntheticSource, detect, feed_source
from ui.tech_parts import Relay, TechScreen, device_words, set_texts

log = logging.getLogger(__name__)

PREVIEW_SIZE = (960, 540)
BOX_COLOUR = "#00C853"
TEXT_SHOWN = 28  # characters of a payload shown (it may be an identity token)
SAMPLE_PAYLOAD = "KIOSK-DEMO-MEAL-TICKET-0001"


def shown_text(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"


def render(frame: FeedFrame, width_px: int, height_px: int) -> QPixmap:
    """The frame scaled to fit, with each code's outline and text drawn over it."""
    gray = frame.gray
    h, w = gray.shape[:2]
    image = QImage(gray.data, w, h, gray.strides[0], QImage.Format.Format_Grayscale8).copy()
    scale = min(width_px / w, height_px / h)
    pixmap = QPixmap.fromImage(image.scaled(round(w * scale), round(h * scale),
                                            Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(BOX_COLOUR))
    pen.setWidth(5)
    font = QFont(painter.font())
    font.setPixelSize(28)
    font.setBold(True)
    painter.setFont(font)
    for detection in frame.detections:
        polygon = QPolygonF([QPointF(x * scale, y * scale) for x, y in detection.corners])
        painter.setPen(pen)
        painter.drawPolygon(polygon)
        box = polygon.boundingRect()
        label = shown_text(detection.text)
        text_w = painter.fontMetrics().horizontalAdvance(label) + 16
        top = max(0.0, box.top() - 40)
        painter.fillRect(round(box.left()), round(top), text_w, 38, QColor("#000000"))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(round(box.left()) + 8, round(top) + 29, label)
    painter.end()
    return pixmap


@register_screen
class TechCameraScreen(TechScreen):
    """States: default (live or sample picture), no_camera (scanner without a camera), error."""

    name = "tech_camera"

    def build(self) -> None:
        self.feed: CameraFeed | None = None
        self.source_kind = ""
        self.error_key = ""
        self.error_params: dict[str, object] = {}
        self.last: FeedFrame | None = None
        self.relay = Relay(self)  # frames and failures from the preview thread
        layout = self.tech_column()
        self.heading = self.label("techCameraHeading", "heading")
        layout.addWidget(self.heading)
        row = self.row()
        self.picture = QLabel()
        self.picture.setObjectName("techCameraPicture")
        width, height = PREVIEW_SIZE
        self.picture.setFixedSize(width, height)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        info = QVBoxLayout()
        info.setSpacing(self.gap)
        self.source_label = self.text("techCameraSource", "tech")
        self.decoded = self.text("techCameraDecoded", "techStrong")
        self.stats = self.text("techCameraStats", "tech")
        for widget in (self.source_label, self.decoded, self.stats):
            info.addWidget(widget)
        info.addStretch(1)
        row.addLayout(info, 1)
        layout.addLayout(row, 1)
        actions = self.row()
        self.back_button = self.action("techCameraBack", secondary=True)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Camera preview"))
        self.picture.setAccessibleName(_("Camera picture with decoded codes outlined"))
        self.source_label.setText(self._source_text())
        codes = [shown_text(d.text) for d in self.last.detections] if self.last else []
        if self.state in ("no_camera", "error"):
            self.decoded.setText("")
        elif codes:
            self.decoded.setText(tr("Decoded: {codes}", codes=", ".join(codes)))
        else:
            self.decoded.setText(_("No code in view."))
        self.decoded.setVisible(bool(self.decoded.text()))
        self.stats.setText(tr("Decoding takes {ms} ms per frame.", ms=round(self.last.decode_ms, 1))
                           if self.last and self.state == "default" else "")
        self.stats.setVisible(bool(self.stats.text()))
        set_texts(self.back_button, _("Technician menu"))
        if self.state != "default":
            self.picture.clear()
            self.picture.setText("")

    def _source_text(self) -> str:
        if self.state == "no_camera":
            return _("This scanner has no camera (serial or keyboard scanner), or no scanner is set up.")
        if self.state == "error":
            return tr("The camera is not working: {reason}", reason=device_words(self.error_key, self.error_params))
        if self.source_kind == "synthetic":
            return _("Simulated scanner: the picture is made up, the decoding is real.")
        return _("Picture from the scanner camera.")

    def connect_signals(self) -> None:
        self.back_button.clicked.connect(lambda: self.ctx.navigate("tech_home"))

    def prompt(self) -> str:
        if self.state in ("no_camera", "error"):
            return self._source_text()
        return sentences(_("Camera preview."), _("Decoded codes are outlined in green."))

    def title(self) -> str:
        return _("Camera preview")

    def states(self) -> list[str]:
        return ["default", "no_camera", "error"]

    def set_state(self, state: str) -> None:
        """Sample states: a synthetic frame decoded for real, no camera, a lost camera."""
        self.drop_pending()  # live results must not replace the sample
        self.stop_feed()
        self.error_key, self.error_params = ("scanner.camera_lost", {}) if state == "error" else ("", {})
        if state == "default":
            self.source_kind = "synthetic"
            source = SyntheticSource([SAMPLE_PAYLOAD])
            source.open()
            frame = source.read()
            detections, decode_ms = detect(frame)
            self.show_state("default")
            self._show_frame(FeedFrame(frame, tuple(detections), decode_ms))
            return
        self.last = None
        self.show_state(state)

    # the feed ----------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.last = None
        self.start_feed()

    def leave(self) -> None:
        self.stop_feed()
        super().leave()

    def reset_personal(self) -> None:
        self.last = None  # a decoded code may be a resident's card
        self.picture.clear()
        self.retranslate()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - the window closing stops the camera
        self.stop_feed()
        super().hideEvent(event)

    def start_feed(self) -> None:
        self.stop_feed()
        kind, source, scanner = feed_source(getattr(self.runtime, "devices", None))
        self.source_kind = kind
        if source is None:
            self.show_state("no_camera")
            return
        self.show_state("default")
        self.feed = CameraFeed(source, lambda frame: self.relay.post(self._show_frame, frame),
                               lambda key, params: self.relay.post(self._failed, key, params), scanner=scanner)
        self.feed.start()

    def stop_feed(self) -> None:
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.stop()

    def _show_frame(self, frame: FeedFrame) -> None:
        if self.state != "default":
            return
        self.last = frame
        width, height = PREVIEW_SIZE
        self.picture.setPixmap(render(frame, width, height))
        self.retranslate()

    def _failed(self, key: str, params: dict) -> None:
        self.error_key, self.error_params = key, params
        self.stop_feed()
        self.show_state("error", speak=True)
