"""ui.tasks.watch: a Future's outcome arrives on the Qt thread, later, and never after its owner is gone."""

from __future__ import annotations

import concurrent.futures
import threading

from PySide6.QtCore import QObject

from ui.tasks import watch


def test_a_result_from_a_worker_thread_is_delivered_on_the_qt_thread(qtbot):
    owner = QObject()
    got: list[tuple[object, bool]] = []
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    watch(owner, future, lambda value: got.append((value, threading.current_thread() is threading.main_thread())))
    threading.Thread(target=lambda: future.set_result(42)).start()
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert got == [(42, True)]


def test_an_already_finished_future_is_still_delivered_later_not_inside_watch(qtbot):
    owner = QObject()
    got: list[object] = []
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    future.set_exception(ValueError("boom"))
    watch(owner, future, got.append, lambda exc: got.append(type(exc).__name__))
    assert got == []  # queued: the caller finishes its own work first
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert got == ["ValueError"]


def test_a_discarded_watch_calls_nothing(qtbot):
    owner = QObject()
    got: list[object] = []
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    watcher = watch(owner, future, got.append, got.append)
    watcher.discard()
    future.set_result(1)
    qtbot.wait(100)
    assert got == []
