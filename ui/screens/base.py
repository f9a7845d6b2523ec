"""Base class of every screen: one order (layout, texts, signals), a spoken prompt, a reset."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout

if TYPE_CHECKING:
    from ui.context import UiContext


class Screen(QFrame):  # a QFrame draws its style-sheet background itself (no WA_StyledBackground)
    """A full screen below the top bar. Subclasses set ``name`` and implement the hooks.

    Constructor order: ``build()`` (layout), ``retranslate()`` (texts), ``connect()`` (signals).
    """

    name: ClassVar[str] = ""
    #: Whether showing this screen starts a resident session (services do; home does not).
    starts_session: ClassVar[bool] = True
    navigate = Signal(str, dict)  # screen name, params

    def __init__(self, ctx: "UiContext") -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"screen_{self.name}")
        self.setProperty("screen", True)
        self.state = "default"
        self.build()
        self.retranslate()
        self.connect_signals()

    # hooks -----------------------------------------------------------------------------------
    def build(self) -> None:
        """Create widgets and layouts (no texts)."""

    def retranslate(self) -> None:
        """Set every visible text from the catalogue in the current language."""

    def connect_signals(self) -> None:
        """Connect widget signals to thin adapters."""

    def prompt(self) -> str:
        """The spoken prompt for the current state, already translated."""
        raise NotImplementedError

    def title(self) -> str:
        """Short translated title (used for the window title and logs of navigation)."""
        return self.name

    def enter(self, **params: object) -> None:
        """Called when the screen is shown with navigation parameters."""

    def leave(self) -> None:
        """Called when another screen replaces this one."""

    def reset_personal(self) -> None:
        """Drop everything personal shown or held (end of a resident session)."""
        self.set_state("default")

    # states, for screenshots and the audit ----------------------------------------------------
    def states(self) -> list[str]:
        """Names of the visual states this screen can be rendered in."""
        return ["default"]

    def set_state(self, state: str) -> None:
        self.state = state
        self.retranslate()

    # helpers ---------------------------------------------------------------------------------
    def label(self, object_name: str, role: str = "body", wrap: bool = True) -> QLabel:
        lab = QLabel()
        lab.setObjectName(object_name)
        lab.setProperty("role", role)
        lab.setWordWrap(wrap)
        return lab

    def button(self, object_name: str, role: str = "primary") -> QPushButton:
        btn = QPushButton()
        btn.setObjectName(object_name)
        btn.setProperty("role", role)
        return btn

    def column(self) -> QVBoxLayout:
        layout = QVBoxLayout(self)
        gap = self.ctx.tokens.gap
        layout.setContentsMargins(gap * 2, gap, gap * 2, gap)
        layout.setSpacing(gap)
        return layout
