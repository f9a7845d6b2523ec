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


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    window = QLabel("hello")
    window.resize(1920, 1080)
    done = []
    probe = _paint_probe(window, lambda: done.append(time.perf_counter() - T0) or app.quit())
    window.show()
    app.exec()
    del probe
    print(done[0])


def kiosk() -> None:
    """The real start path of `kiosk run` (ui.cli imports, config, runtime, ui.app.run)."""
    from kiosk.config import load
    from kiosk.runtime import start_runtime
    from PySide6.QtCore import QTimer

    from ui.app import application, run

    config = load(None)
    # As `kiosk run` does; PROBE_SPEECH=0 keeps the speech engine out (a machine without audio).
    speech = "later" if os.environ.get("PROBE_SPEECH", "1") == "1" else False
    runtime = start_runtime(config, speech=speech, database="later", logs="later")
    done = []

    def painted() -> None:
        done.append(time.perf_counter() - T0)
        QTimer.singleShot(0, application().quit)  # runs once the event loop is up

    run(runtime, fullscreen=False, on_first_paint=painted)
    print(done[0])
    runtime.after_first_paint()  # what `kiosk run` does after the paint
    runtime.open_database_async().result(timeout=60)
    runtime.close()


if __name__ == "__main__":
    {"bare": bare, "kiosk": kiosk}[sys.argv[1]]()
