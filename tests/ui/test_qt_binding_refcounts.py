"""The Qt binding must not leak references to None or True (PySide6 6.12.0 on Python 3.11 did, and aborted)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_qt_calls_do_not_consume_references_to_none(qtbot):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    # A leaking binding loses one reference per call (-2000); the kiosk's clock alone makes 86,400 a day.
    assert abs(sys.getrefcount(None) - before) < 100


def test_emitting_a_signal_does_not_consume_references_to_true(qtbot):
    emitter = _Emitter()
    got = [0]
    emitter.fired.connect(lambda _value: got.__setitem__(0, got[0] + 1))  # keeps no reference to True
    before = sys.getrefcount(True)
    for _ in range(300):
        emitter.fired.emit(True)
    assert got[0] == 300
    assert abs(sys.getrefcount(True) - before) < 50
