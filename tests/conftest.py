"""Shared fixtures: offscreen Qt, a temporary data folder per test, and a leak check."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LEAK_GRACE_S = 3.0


def _qt_top_levels() -> list:
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        return []
    app = QApplication.instance()
    if app is None:
        return []
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return [w for w in app.topLevelWidgets() if w.isVisible()]


def _active_timers() -> set[int]:
    """Ids of running QTimers that Python created (their wrappers are tracked by gc)."""
    try:
        from PySide6.QtCore import QTimer
    except ImportError:
        return set()
    gc.collect()
    found = set()
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QTimer) and obj.isActive():
                found.add(id(obj))
        except RuntimeError:  # wrapper whose C++ object is already deleted
            continue
    return found


@pytest.fixture(autouse=True)
def no_leaks(request, tmp_path, monkeypatch):
    """Fail a test that leaves threads, child processes or visible top-level windows behind."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path / "logs"))
    from kiosk.i18n import DEFAULT_LANGUAGE, set_language

    set_language(DEFAULT_LANGUAGE)  # the language is process-wide: every test starts in the default
    threads_before = set(threading.enumerate())
    windows_before = set(map(id, _qt_top_levels()))
    qt_test = "PySide6" in sys.modules and any(part in str(request.node.fspath) for part in ("/ui/", "/e2e/"))
    timers_before = _active_timers() if qt_test else set()
    yield
    if "/server/" in str(request.node.fspath) or "/e2e/" in str(request.node.fspath):
        # PostgreSQL connection finalizers run by a later, random GC have crashed CPython 3.11's
        # parser ("AST constructor recursion depth mismatch"): collect them here, between tests.
        gc.collect()
    deadline = time.monotonic() + LEAK_GRACE_S
    while True:
        leaked = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
        children = multiprocessing.active_children()
        if not leaked and not children or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    windows = [w for w in _qt_top_levels() if id(w) not in windows_before]
    problems = []
    if qt_test:
        timers = _active_timers() - timers_before
        if timers:
            problems.append(f"{len(timers)} running QTimer(s)")
    if leaked:
        problems.append("threads: " + ", ".join(t.name for t in leaked))
    if children:
        problems.append("child processes: " + ", ".join(p.name for p in children))
    if windows:
        problems.append("top-level windows: " + ", ".join(w.objectName() or type(w).__name__ for w in windows))
    if problems:
        pytest.fail("test leaked " + "; ".join(problems), pytrace=False)
