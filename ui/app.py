"""Qt application start-up: fonts, Qt's own translations, the window and the qasync loop."""

from __future__ import annotations

import signal
import sys
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from kiosk.i18n import preload_catalogs_async
from kiosk.runtime import Runtime
from kiosk.session import ResidentSession
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import FONT_FALLBACKS, FONT_FAMILY

def application(argv: list[str] | None = None) -> QApplication:
    from ui.widgets.virtual_keyboard import enable_input_method

    enable_input_method()  # before the QApplication exists: the on-screen keyboard for free text
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("community-kiosk")
    font = QFont(FONT_FAMILY, 24)
    font.setFamilies(list(FONT_FALLBACKS))  # the first one installed draws; no font list needed
    app.setFont(font)
    return app  # type: ignore[return-value]


def build_window(runtime: Runtime, *, watch_input: bool = True) -> MainWindow:
    cfg = runtime.config
    ctx = UiContext(
        config=cfg,
        voice=runtime.voice,
        runtime=runtime,
        session=ResidentSession(cfg.session.idle_timeout_s, cfg.session.countdown_s),
        font_scale=cfg.ui.font_scale,
        theme=cfg.ui.theme,
    )
    window = MainWindow(ctx, watch_input=watch_input)
    window.resize(cfg.ui.width_px, cfg.ui.height_px)
    return window


def _paint_home_now(app: QApplication, window: MainWindow, on_first_paint: Callable[[], None] | None) -> None:
    """Deliver the show/expose/paint events before the asyncio machinery is even imported.

    Importing asyncio and qasync costs ~30 ms; a resident should see the home screen first.
    """
    painted: list[bool] = []
    watcher = _PaintWatcher(lambda: painted.append(True))
    window.screens.current.installEventFilter(watcher)
    for _ in range(50):  # a few rounds are enough; bounded so a platform that never paints moves on
        app.processEvents()
        if painted:
            break
    window.screens.current.removeEventFilter(watcher)
    if on_first_paint is not None:
        on_first_paint()


class _PaintWatcher(QObject):
    def __init__(self, on_paint: Callable[[], None]) -> None:
        super().__init__()
        self._on_paint = on_paint

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self._on_paint()
        return False


def run(
    runtime: Runtime, *, fullscreen: bool = True, on_first_paint: Callable[[], None] | None = None
) -> int:
    """Show the kiosk and run the qasync event loop until the app quits (or SIGINT/SIGTERM).

    ``on_first_paint`` is called once the home screen has been painted (the start-up benchmark).
    """
    app = application()
    window = build_window(runtime, watch_input=False)
    window.ctx.request_exit = app.quit
    window.navigate("home")  # before the window shows: its widgets are laid out and polished once
    if fullscreen:
        window.lock_down()  # frameless, full screen, on top: only a technician can exit
    else:
        window.show()
    _paint_home_now(app, window, on_first_paint)
    window.watch_input()
    from ui.qt_translations import QtTranslations  # QLocale's enums cost ~8 ms: after the paint

    qt_strings = QtTranslations(app)
    from ui.service_watchdog import start_service_watchdog

    service = start_service_watchdog()  # systemd: READY=1 now that the home screen shows, then pings
    # After the first paint: log files, the speech engine, and the database (SQLAlchemy + Alembic
    # imports, migrations) on a worker; whatever start_runtime() left "later".
    QTimer.singleShot(0, runtime.after_first_paint)
    QTimer.singleShot(0, preload_catalogs_async)  # the other language, parsed off the Qt thread

    def stop(*_: object) -> None:  # the service manager stops the kiosk: let the locked window close
        window.tech.allow_exit(0)
        app.quit()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    # Python runs signal handlers only when it gets control; a short idle timer gives it that.
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    with loop:
        loop.run_until_complete(done.wait())
    wake.stop()
    if service is not None:
        service.stop()
    window.shutdown()
    qt_strings.close()
    return window.tech.exit_code  # RESTART_EXIT_CODE when a technician chose restart
