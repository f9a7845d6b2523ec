"""The persistent top bar: home, back, repeat, text size, volume, language, status and clock."""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from kiosk.config import FONT_SCALES
from kiosk.i18n import LANGUAGE_NAMES, _, current_language, tr
from ui.enum_names import set_enum_property
from ui.icons import icon, icon_file
from ui.theme import GAP_PX, Tokens

VOLUME_LEVELS = (0.5, 0.8, 1.0)
VOLUME_ICONS = ("volume_low", "volume_medium", "volume_high")
ICON_NAMES = ("home", "back", "speaker", *VOLUME_ICONS, "globe")
TECHNICIAN_HOLD_MS = 3000
STAFF_DOUBLE_TAP_S = 0.8


class TopBar(QFrame):  # a QFrame draws its style-sheet background itself (no WA_StyledBackground)
    home_clicked = Signal()
    back_clicked = Signal()
    repeat_clicked = Signal()
    font_scale_chosen = Signal(float)
    volume_chosen = Signal(float)
    language_toggled = Signal()
    technician_requested = Signal()
    staff_requested = Signal()  # two quick taps on the clock: the help desk's staff sign-in (issue #8)

    def __init__(self, tokens: Tokens, volume: float = VOLUME_LEVELS[1], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        self._tokens = tokens
        # The starting volume picks its icon before the first polish: a later change re-polishes,
        # which builds Python's Qt namespace (see ui.enum_names), fine after the first paint.
        self._volume = min(VOLUME_LEVELS, key=lambda v: abs(v - volume))
        self._online = False
        self._pending = 0
        self._refused = ""
        self._built = False
        self._icons_by_sheet = False
        self._build()
        self.retranslate()
        self._connect()
        self._built = True
        self.apply_tokens(tokens)  # icons, then every button sized once to its final text

    # layout ----------------------------------------------------------------------------------
    def _tool(self, object_name: str, icon_name: str | None = None) -> QToolButton:
        btn = QToolButton()
        btn.setObjectName(object_name)
        set_enum_property(btn, "focusPolicy", "StrongFocus")  # built before the first paint: see ui.enum_names
        if icon_name:
            btn.setProperty("iconName", icon_name)
            set_enum_property(btn, "toolButtonStyle", "ToolButtonTextUnderIcon")
        return btn

    def _build(self) -> None:
        layout = QHBoxLayout(self)
        self._layout = layout
        self.home = self._tool("topHome", "home")
        self.back = self._tool("topBack", "back")
        self.repeat = self._tool("topRepeat", "speaker")
        self.sizes = QButtonGroup(self)
        self.size_buttons: list[QToolButton] = []
        for index in range(len(FONT_SCALES)):
            btn = self._tool(f"topFontScale{index}")
            btn.setText("A" + "+" * index)
            self.sizes.addButton(btn, index)
            self.size_buttons.append(btn)
        self.set_font_scale(FONT_SCALES[0])
        self.volume = self._tool("topVolume", VOLUME_ICONS[VOLUME_LEVELS.index(self._volume)])
        self.language = self._tool("topLanguage", "globe")
        self.status = QLabel()
        self.status.setObjectName("topSyncStatus")
        set_enum_property(self.status, "alignment", "AlignCenter")
        self.clock = self._tool("topClock")
        self.clock.setAutoRaise(True)
        for w in (self.home, self.back, self.repeat, *self.size_buttons, self.volume, self.language):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.clock)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.setInterval(TECHNICIAN_HOLD_MS)

    def apply_tokens(self, tokens: Tokens) -> None:
        self._tokens = tokens
        # The bar holds many targets: its gaps stay at the unscaled budget so A++ still fits.
        gap = GAP_PX
        self._layout.setContentsMargins(gap, gap // 2, gap, gap // 2)
        self._layout.setSpacing(gap)
        # The icons come from the bar's own style sheet (files in the start-up cache, loaded by
        # Qt in C++: no Python QIcon before the first paint); set one by one only when the cache
        # cannot keep the files.
        sheet = self._icon_sheet()
        self._icons_by_sheet = sheet is not None
        self.setStyleSheet(sheet or "")
        for btn in self.findChildren(QToolButton):
            self._apply_icon(btn)
        for index, btn in enumerate(self.size_buttons):
            # Each "A" is drawn at the size it selects, so the choice shows itself.
            px = round(tokens.body * (1.0 + 0.25 * index) / tokens.scale)
            btn.setStyleSheet(f"font-size: {max(px, tokens.body)}px;")
        self._fit()

    def _icon_sheet(self) -> str | None:
        """One ``qproperty-icon`` rule per icon name, or None if a file cannot be had (or its
        path cannot be written in a style sheet's quoted url)."""
        rules = []
        for name in ICON_NAMES:
            path = icon_file(name, self._tokens.palette.on_top_bar, self._tokens.px(40))
            if path is None or '"' in path.as_posix() or "\\" in path.as_posix():
                return None
            rules.append(f'QToolButton[iconName="{name}"] {{ qproperty-icon: url("{path.as_posix()}"); }}')
        return "\n".join(rules)

    def _apply_icon(self, btn: QToolButton) -> None:
        name = btn.property("iconName")
        if name:
            size = self._tokens.px(40)
            btn.setIconSize(QSize(size, size))
            if not self._icons_by_sheet:
                btn.setIcon(icon(name, self._tokens.palette.on_top_bar, size))

    # texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.home.setText(_("Home"))
        self.home.setAccessibleName(_("Go to the home screen"))
        self.back.setText(_("Back"))
        self.back.setAccessibleName(_("Go back one screen"))
        self.repeat.setText(_("Repeat"))
        self.repeat.setAccessibleName(_("Say it again"))
        names = (_("Normal text size"), _("Large text size"), _("Extra large text size"))
        for btn, name in zip(self.size_buttons, names):
            btn.setAccessibleName(name)
        self.volume.setText(_("Volume"))
        self.volume.setAccessibleName(tr("Change the volume (now {level})", level=self._volume_word()))
        other = "en" if current_language() == "zh_CN" else "zh_CN"
        self.language.setText(LANGUAGE_NAMES[other])
        self.language.setAccessibleName(_("Switch language"))
        self.clock.setAccessibleName(_("Clock"))
        self._update_status()
        self._tick_clock()
        self._fit()

    def _fit(self) -> None:
        """Give every button at least its size hint: texts change with language and scale."""
        if not self._built:
            return  # the constructor fits once, at its end
        for btn in self.findChildren(QToolButton):
            btn.setMinimumSize(0, 0)
            btn.ensurePolished()
            btn.setMinimumSize(btn.sizeHint())

    def _volume_word(self) -> str:
        index = VOLUME_LEVELS.index(self._volume) if self._volume in VOLUME_LEVELS else 1
        return (_("low"), _("medium"), _("high"))[index]

    def _update_status(self) -> None:
        if self._refused:  # the server refuses this kiosk: staff must re-enroll it (issue #8)
            state = _("Refused")
        else:
            state = _("Online") if self._online else _("Offline")
        # Compact on screen (the bar is full at 1.5x text): "↑12", "↑999+"; the spoken name says it in words.
        shown = str(self._pending) if self._pending < 1000 else "999+"
        self.status.setText(state + "\n↑" + shown)
        spoken = state + ", " + tr("{count} waiting", count=self._pending)
        if self._refused:
            spoken += ", " + _(self._refused)
        self.status.setAccessibleName(spoken)

    def _tick_clock(self) -> None:
        # time.strftime, not QDateTime: the clock is drawn before the first paint, and QDateTime's
        # Python type costs ~0.5 ms to build; both read the same local time zone.
        self.clock.setText(time.strftime("%H:%M"))

    # signals ---------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.home.clicked.connect(self.home_clicked)
        self.back.clicked.connect(self.back_clicked)
        self.repeat.clicked.connect(self.repeat_clicked)
        self.sizes.idClicked.connect(lambda i: self.font_scale_chosen.emit(FONT_SCALES[i]))
        self.volume.clicked.connect(self._next_volume)
        self.language.clicked.connect(self.language_toggled)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self.clock.pressed.connect(self._hold_timer.start)
        self.clock.released.connect(self._hold_timer.stop)
        self._hold_timer.timeout.connect(self.technician_requested)
        self._held = False
        self._last_tap_s = -STAFF_DOUBLE_TAP_S
        self.clock.pressed.connect(lambda: setattr(self, "_held", False))
        self._hold_timer.timeout.connect(lambda: setattr(self, "_held", True))
        self.clock.clicked.connect(self._clock_tapped)

    def _clock_tapped(self) -> None:
        # The release after a technician hold is a click too: only short taps count, and two of
        # them close together (a resident's stray tap on the clock changes nothing).
        if self._held:
            return
        now = time.monotonic()
        if now - self._last_tap_s <= STAFF_DOUBLE_TAP_S:
            self._last_tap_s = -STAFF_DOUBLE_TAP_S
            self.staff_requested.emit()
        else:
            self._last_tap_s = now

    def _next_volume(self) -> None:
        index = VOLUME_LEVELS.index(self._volume) if self._volume in VOLUME_LEVELS else 1
        self.set_volume(VOLUME_LEVELS[(index + 1) % len(VOLUME_LEVELS)])
        self.volume_chosen.emit(self._volume)

    # state setters ---------------------------------------------------------------------------
    def set_volume(self, volume: float) -> None:
        self._volume = min(VOLUME_LEVELS, key=lambda v: abs(v - volume))
        name = VOLUME_ICONS[VOLUME_LEVELS.index(self._volume)]
        if self.volume.property("iconName") != name:
            self.volume.setProperty("iconName", name)
            if self._icons_by_sheet:  # the sheet's rule for the new name applies on re-polish
                self.volume.style().unpolish(self.volume)
                self.volume.style().polish(self.volume)
        self.volume.setAccessibleName(tr("Change the volume (now {level})", level=self._volume_word()))
        self._apply_icon(self.volume)

    def volume_word(self) -> str:
        return self._volume_word()

    def set_font_scale(self, scale: float) -> None:
        # A property, not :checked, so the style sheet's colours reach the palette on re-polish
        # (the audit measures contrast from the palette).
        for btn, button_scale in zip(self.size_buttons, FONT_SCALES):
            selected = button_scale == scale
            if btn.property("selected") == selected:
                continue
            btn.setProperty("selected", selected)
            if self._built:  # else polished by its first show (and sized by the constructor's fit)
                btn.style().unpolish(btn)
                btn.style().polish(btn)

    def set_sync_status(self, online: bool, pending: int, refused: str = "") -> None:
        """``refused`` is the server's refusal key (auth.revoked, ...) or "" when not refused."""
        self._online, self._pending, self._refused = online, pending, refused
        self._update_status()

    def set_back_enabled(self, enabled: bool) -> None:
        self.back.setEnabled(enabled)

    def stop_timers(self) -> None:
        self._clock_timer.stop()
        self._hold_timer.stop()
