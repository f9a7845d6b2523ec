"""One measurement's result: very large numbers, category as colour + words + icon, advice, change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment
from kiosk.health.summary import LABELS, value_rows
from kiosk.i18n import N_, _, sentences, tr
from ui.theme import Tokens
from ui.widgets.vitals_picture import category_icon

# Units value_rows leaves in symbols; on screen they are read out in words in Chinese.
SCREEN_UNITS = {"mmHg": N_("mmHg"), "mmol/L": N_("mmol/L")}


def display_unit(unit: str) -> str:
    return _(SCREEN_UNITS[unit]) if unit in SCREEN_UNITS else unit


class CategoryBadge(QFrame):
    """Colour (by level) + icon (tick, exclamation, cross) + the category words."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 16, 6)
        row.setSpacing(12)
        self.icon = QLabel()
        self.icon.setObjectName(f"{object_name}_icon")
        self.words = QLabel()
        self.words.setObjectName(f"{object_name}_words")
        self.words.setProperty("role", "badgeWords")
        self.words.setWordWrap(True)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.words, 1)

    def show_assessment(self, name: str, assessment: Assessment, tokens: Tokens) -> None:
        self.setProperty("category", assessment.icon)
        for widget in (self, self.icon, self.words):  # the children's rules depend on the property
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        size = tokens.px(40)
        self.icon.setPixmap(category_icon(assessment.icon, size, tokens.palette.on_tile))
        self.icon.setFixedSize(size, size)
        words = _(assessment.label)
        self.words.setText(words)
        self.setAccessibleName(f"{name}: {words}" if name else words)


class ResultRow(QFrame):
    """A card for one measurement of the check: each category badge sits beside its value."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.setObjectName(f"healthResult{index}")
        self.setProperty("card", True)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 8, 24, 8)
        row.setSpacing(32)
        left = QVBoxLayout()
        left.setSpacing(0)
        self.name = self._label(f"healthResult{index}Name", "vitalLabel")
        values = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        values.setSpacing(12)
        self.value = self._label(f"healthResult{index}Value", "vitalValue", wrap=False)
        self.unit = self._label(f"healthResult{index}Unit", "body", wrap=False)
        values.addWidget(self.value, 0, Qt.AlignmentFlag.AlignLeft)
        values.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        values.addStretch(1)
        left.addWidget(self.name)
        left.addLayout(values)
        self.extras: list[tuple[QLabel, CategoryBadge]] = []
        self._extra_lines: list[QBoxLayout] = [values]
        for n in range(2):  # pulse; or height and BMI
            line = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            line.setSpacing(12)
            text = self._label(f"healthResult{index}Extra{n}", "body", wrap=False)
            badge = CategoryBadge(f"healthResult{index}Extra{n}Badge")
            line.addWidget(text, 0, Qt.AlignmentFlag.AlignLeft)
            line.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
            line.addStretch(1)
            left.addLayout(line)
            self.extras.append((text, badge))
            self._extra_lines.append(line)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(8)
        self.badge = CategoryBadge(f"healthResult{index}Badge")
        self.advice = self._label(f"healthResult{index}Advice", "body")
        self.change = self._label(f"healthResult{index}Change", "muted")
        right.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.advice)
        right.addWidget(self.change)
        right.addStretch(1)
        row.addLayout(left, 0)
        row.addLayout(right, 1)

    def clear(self) -> None:
        """Forget what was shown (end of a session): no value stays in a hidden widget."""
        for label in (self.name, self.value, self.unit, self.advice, self.change, *(t for t, _b in self.extras)):
            label.clear()
        self.setAccessibleName("")

    @staticmethod
    def _label(name: str, role: str, wrap: bool = True) -> QLabel:
        lab = QLabel()
        lab.setObjectName(name)
        lab.setProperty("role", role)
        lab.setWordWrap(wrap)
        return lab

    def show_result(self, title: str, m: Measurement, assessments: list[Assessment], change: str,
                    tokens: Tokens) -> None:
        rows = value_rows(m)
        stacked = tokens.scale > 1.0  # larger text: a value's badge goes under it, the advice gets the width
        for line in self._extra_lines:
            line.setDirection(QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight)
        by_label = {_label_of(a.kind, rows): a for a in assessments}
        main_label, number, unit = rows[0]
        self.name.setText(title)
        self.value.setText(number)
        self.unit.setText(display_unit(unit))
        self.unit.setVisible(bool(unit))
        main = by_label.get(main_label)
        if main is not None:
            self.badge.show_assessment(main_label, main, tokens)
        self.badge.setVisible(main is not None)
        for n, (text, badge) in enumerate(self.extras):
            shown = n + 1 < len(rows)
            if shown:
                label, value, extra_unit = rows[n + 1]
                text.setText(f"{label} {value} {display_unit(extra_unit)}".strip())
                assessment = by_label.get(label)
                if assessment is not None:
                    badge.show_assessment(label, assessment, tokens)
                badge.setVisible(assessment is not None)
            else:
                badge.hide()
            text.setVisible(shown)
        advice = [_(a.advice) for a in assessments if a.level > 0] or [_(a.advice) for a in assessments[:1]]
        self.advice.setText(sentences(*advice))
        self.advice.setVisible(bool(advice))
        self.change.setText(change)
        self.change.setVisible(bool(change))
        self.setAccessibleName(tr("{name}: {value}", name=title, value=f"{number} {display_unit(unit)}".strip()))


def _label_of(kind: str, rows: list[tuple[str, str, str]]) -> str:
    """The value row label an assessment belongs to (pulse -> "Pulse", bmi -> "BMI")."""
    msgid = LABELS.get(kind)
    wanted = _(msgid) if msgid else ""
    return wanted if any(lab == wanted for lab, _n, _u in rows) else ""

