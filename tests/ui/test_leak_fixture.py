"""The leak fixture itself: it must fail a test that leaves a timer, a thread or a window behind."""

import pytest

pytest_plugins = ["pytester"]


def test_leak_fixture_fails_tests_that_leave_a_running_timer_or_a_thread(pytester):
    pytester.makeconftest(open(__file__.replace("ui/test_leak_fixture.py", "conftest.py"), encoding="utf-8").read())
    pytester.mkdir("ui")
    pytester.makepyfile(**{"ui/test_leaky": """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import threading

KEEP = []

def test_timer():
    QApplication.instance() or QApplication([])
    t = QTimer(); t.start(1000); KEEP.append(t)

def test_thread():
    ev = threading.Event(); KEEP.append(ev)
    threading.Thread(target=ev.wait, args=(10,), daemon=True).start()
"""})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "ui/test_leaky.py")
    result.stdout.fnmatch_lines(["*test leaked*QTimer*", "*test leaked threads*"])
    result.assert_outcomes(passed=2, errors=2)  # the tests pass; their teardown fails them
