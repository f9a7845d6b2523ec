"""UI budgets: start-up vs bare PySide6, tap-to-painted screen switch, event-loop lag while speaking."""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_RUNS = 25  # interleaved runs per kind; on a noisy machine a median of 15 still jumped
SWITCHES = 200


def _probe(kind: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", kind],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def startup() -> list[tuple[str, float, str]]:
    """Seconds from process start to the first frame painted whole (every widget in it, text
    included), for a bare window, the home screen in plain PySide6 and the kiosk."""
    # A deployed kiosk runs from compiled bytecode (pip compiles on install); an editable checkout
    # under PYTHONDONTWRITEBYTECODE would compile every module on every start instead.
    compileall.compile_dir(ROOT / "kiosk", quiet=1)
    compileall.compile_dir(ROOT / "ui", quiet=1)
    compileall.compile_dir(ROOT / "devices", quiet=1)
    from ui.theme import THEMES, Tokens, stylesheet
    from ui.widgets.virtual_keyboard import IM_MODULE, plugin_present

    with tempfile.TemporaryDirectory() as tmp:
        qss = Path(tmp) / "kiosk.qss"
        qss.write_text(stylesheet(Tokens(1.0, THEMES["standard"])), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": tmp, "KIOSK_LOG_DIR": tmp,
               "KIOSK_CACHE_DIR": tmp, "PROBE_QSS": str(qss), "PROBE_IM": IM_MODULE if plugin_present() else ""}
        times: dict[str, list[float]] = {"bare": [], "plain": [], "kiosk": []}
        for kind in times:
            _probe(kind, env)  # warm the file cache (and the catalogue cache)
        for _ in range(STARTUP_RUNS):  # interleaved, so a busy moment hits all three alike
            for kind, runs in times.items():
                runs.append(_probe(kind, env))
    b, p, k = (statistics.median(times[kind]) for kind in ("bare", "plain", "kiosk"))
    return [
        ("start-up: bare PySide6 window to first paint (median)", b * 1000, "ms"),
        ("start-up: home screen in plain PySide6 to first paint (median)", p * 1000, "ms"),
        ("start-up: kiosk home screen to first paint (median)", k * 1000, "ms"),
        ("start-up: bare PySide6 window to first paint (best)", min(times["bare"]) * 1000, "ms"),
        ("start-up: kiosk home screen to first paint (best)", min(times["kiosk"]) * 1000, "ms"),
        ("start-up: kiosk / bare ratio of medians (budget <= 1.5)", k / b, "x"),
        ("start-up: kiosk / bare ratio of bests", min(times["kiosk"]) / min(times["bare"]), "x"),
        ("start-up: plain-PySide6 home screen / bare ratio of medians", p / b, "x"),
        ("start-up: kiosk / plain-PySide6 home screen ratio of medians", k / p, "x"),
    ]


def _window():
    from kiosk.config import load
    from kiosk.runtime import start_runtime
    from ui.app import application, build_window

    application()
    config = load(None)
    runtime = start_runtime(config, speech=False, database=False, logs=False)
    window = build_window(runtime)
    window.show()
    window.navigate("home")
    return window, runtime


def _dispose(window, runtime) -> None:  # noqa: ANN001
    """Delete Qt objects while the application lives: letting the interpreter's final garbage
    collection destroy them after QApplication crashes the process (exit 134)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    window.shutdown()
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    runtime.close()


def screen_switch() -> list[tuple[str, float, str]]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window, runtime = _window()
    painted: list[float] = []

    class Probe(QObject):
        def eventFilter(self, obj, event):  # noqa: N802, ANN001
            if event.type() == QEvent.Type.Paint:
                painted.append(time.perf_counter())
            return False

    probe = Probe()
    latencies = []
    for name in ("health", "home"):
        window.screens.screen(name).installEventFilter(probe)
    for i in range(SWITCHES):
        target = window.findChild(QObject, "tile_health") if i % 2 == 0 else window.top_bar.home
        painted.clear()
        start = time.perf_counter()
        QTest.mouseClick(target, Qt.MouseButton.LeftButton)
        while not painted:
            QApplication.processEvents()
        latencies.append(painted[0] - start)
    for name in ("health", "home"):
        window.screens.screen(name).removeEventFilter(probe)
    _dispose(window, runtime)
    latencies.sort()
    return [
        ("screen switch: tap to next screen painted p50", statistics.median(latencies) * 1000, "ms"),
        ("screen switch: tap to next screen painted p95 (budget <= 16.7)", latencies[int(0.95 * len(latencies)) - 1] * 1000, "ms"),
    ]


def lag_while_speaking(duration_s: float = 6.0) -> list[tuple[str, float, str]]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.config import VoiceSection
    from kiosk.voice import Voice, build_backend

    QApplication.instance() or QApplication([])
    backend = build_backend(VoiceSection())
    voice = Voice(backend)
    interval_s = 0.01
    lags: list[float] = []
    last = [time.perf_counter()]
    sentence = "您好。您可以量血压测健康、报事报修、食堂订餐、查看积分，或者呼叫工作人员。请轻触屏幕上的大按钮。"

    def tick() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, now - last[0] - interval_s))
        last[0] = now

    timer = QTimer()
    timer.setInterval(int(interval_s * 1000))
    timer.timeout.connect(tick)
    speak = QTimer()
    speak.setInterval(700)  # a new prompt interrupts the previous one, as screens do
    speak.timeout.connect(lambda: voice.speak_prompt(sentence, "zh_CN"))
    voice.speak_prompt(sentence, "zh_CN")
    timer.start()
    speak.start()
    end = time.perf_counter() + duration_s
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)
    timer.stop()
    speak.stop()
    voice.close()
    return [
        ("event-loop lag while speaking: max (budget <= 50)", max(lags) * 1000, "ms"),
        ("event-loop lag while speaking: p99", sorted(lags)[int(0.99 * len(lags)) - 1] * 1000, "ms"),
    ]


def run() -> list[tuple[str, float, str]]:
    return [*startup(), *screen_switch(), *lag_while_speaking()]
