"""Full-screen "are you still there?" overlay with a large countdown; any touch dismisses it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import _


class IdleOverlay(QWidget):
    continue_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.seconds_left = 0
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.question = QLabel()
        self.question.setObjectName("idleQuestion")
        self.question.setProperty("role", "title")
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = QLabel()
        self.countdown.setObjectName("idleCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = QLabel()
        self.explanation.setObjectName("idleExplanation")
        self.explanation.setProperty("role", "body")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("idleContinue")
        layout.addWidget(self.question)
        layout.addWidget(self.countdown)
        layout.addWidget(self.explanation)
        layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()
        self.continue_button.clicked.connect(self.continue_clicked)
        self.hide()

    def retranslate(self) -> None:
        self.question.setText(_("Are you still there? Touch the screen to continue."))
        self.explanation.setText(_("Otherwise the kiosk goes back to the home screen and forgets what you did here."))
        self.continue_button.setText(_("Continue"))
        self.continue_button.setAccessibleName(_("Continue"))
        self.countdown.setText(str(self.seconds_left))
        self.countdown.setAccessibleName(self.question.text())

    def prompt(self) -> str:
        return _("Are you still there? Touch the screen to continue.")

    def show_countdown(self, seconds_left: int) -> None:
        self.seconds_left = seconds_left
        self.countdown.setText(str(seconds_left))
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
