"""Child process of the start-up benchmark: prints seconds from process start to first paint."""

from __future__ import annotations

import os
import sys
import time

T0 = time.perf_counter()


def _paint_probe(widget, on_painted):  # noqa: ANN001
    from PySide6.QtCore import QEvent, QObject

    class Probe(QObject):
        def eventFilter(self, obj, event):  # noqa: N802, ANN001
            if event.type() == QEvent.Type.Paint:
                on_painted()
            return False

    probe = Probe()
    widget.installEventFilter(probe)
    return probe


def first_frame(window) -> float:  # noqa: ANN001
    """Show ``window`` full size and return seconds from process start until its first frame is
    painted whole.

    The window's own paint event opens the frame (its children, and its text, are painted after
    it in the same pass); a zero timer fires once that pass is over: the whole frame, as the
    kiosk's ``on_first_paint`` sees it. A local event loop, so the application is not quit.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    window.resize(1920, 1080)
    loop = QEventLoop()
    done: list[float] = []

    def frame_done() -> None:
        if not done:
            done.append(time.perf_counter() - T0)
            loop.quit()

    probe = _paint_probe(window, lambda: QTimer.singleShot(0, frame_done))
    window.show()
    if not done:
        loop.exec()
    window.removeEventFilter(probe)
    return done[0]


def _print_first_paint(app, window) -> None:  # noqa: ANN001, ARG001 - app: created, not used
    print(first_frame(window))


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    window = QLabel("hello")
    _print_first_paint(app, window)


def plain() -> None:
    """The kiosk's home screen rebuilt in plain PySide6: no kiosk module, same widgets, texts,
    style sheet (PROBE_QSS, written by the parent) and on-screen keyboard input method. What Qt
    itself costs for this screen; the kiosk's own start-up work is the difference."""
    if os.environ.get("PROBE_IM"):
        os.environ.setdefault("QT_IM_MODULE", os.environ["PROBE_IM"])
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

    app = QApplication(sys.argv[:1])
    with open(os.environ["PROBE_QSS"], encoding="utf-8") as qss:
        app.setStyleSheet(qss.read())
    window = QWidget()
    column = QVBoxLayout(window)
    bar = QHBoxLayout()
    column.addLayout(bar)
    for text in ("首页", "返回", "再听一遍", "A", "A+", "A++", "音量", "English", "离线\n↑0", "12:00"):
        button = QToolButton()
        button.setText(text)
        bar.addWidget(button)
    for text, role in (("您好！今天想办什么事？", "heading"), ("请轻触下面的大按钮。每个页面都会为您朗读。", "body")):
        label = QLabel(text)
        label.setProperty("role", role)
        column.addWidget(label)
    grid = QGridLayout()
    column.addLayout(grid, 1)
    for index, (name, description) in enumerate((("健康小屋", "血压、血氧、体重"), ("报事报修", "报修或反映问题"),
                                                 ("食堂订餐", "用积分订餐"), ("我的积分", "查看和使用积分"),
                                                 ("呼叫工作人员", "请工作人员来帮您"))):
        tile = QPushButton()
        texts = QVBoxLayout(tile)
        for text, role in ((name, "tileName"), (description, "tileDescription")):
            label = QLabel(text)
            label.setProperty("role", role)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            texts.addWidget(label)
        grid.addWidget(tile, index // 3, index % 3)
    _print_first_paint(app, window)


def kiosk() -> None:
    """The real start path of `kiosk run` (config, ui.app.run: home painted, then the runtime)."""
    from kiosk.config import load
    from PySide6.QtCore import QTimer

    from ui.app import application, run

    config = load(None)
    done = []

    def painted() -> None:
        done.append(time.perf_counter() - T0)
        QTimer.singleShot(0, application().quit)  # runs once the event loop is up

    run(config, fullscreen=False, on_first_paint=painted)  # closes the runtime on the way out
    print(done[0])


if __name__ == "__main__":
    {"bare": bare, "plain": plain, "kiosk": kiosk}[sys.argv[1]]()
