"""Qt application start-up: fonts, Qt's own translations, the window and the qasync loop.

``run()`` paints the home screen before anything it does not show: the runtime (voice, devices,
database, logs), the resident session and the rest of the window start just after.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.i18n import preload_catalogs_async, set_language
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import FONT_FALLBACKS, FONT_FAMILY

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.runtime import Runtime


def application(argv: list[str] | None = None, *, font: bool = True) -> QApplication:
    """The QApplication, created once. ``font=False`` leaves the application font to
    ``set_application_font()`` (``run()`` sets it after the first paint)."""
    from ui.widgets.virtual_keyboard import enable_input_method

    enable_input_method()  # before the QApplication exists: the on-screen keyboard for free text
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("community-kiosk")
    if font:
        set_application_font(app)
    return app  # type: ignore[return-value]


def set_application_font(app: QApplication) -> None:
    """The kiosk's font for what the style sheet does not reach (text drawn by hand, Qt's dialogs).

    Every widget takes its family and size from the style sheet's ``*`` rule, so the home screen
    looks the same without it: ``run()`` sets it just after the first paint, which spares the
    first paint building QFont's Python enums.
    """
    from PySide6.QtGui import QFont

    font = QFont(FONT_FAMILY, 24)
    font.setFamilies(list(FONT_FALLBACKS))  # the first one installed draws; no font list needed
    app.setFont(font)


def build_window(runtime: Runtime, *, watch_input: bool = True) -> MainWindow:
    """The whole window for a runtime that is already up (tests, screenshots, audit): the same
    two steps as ``run()``, back to back."""
    window = build_home_window(runtime.config)
    window.start_services(runtime, watch_input=watch_input)
    return window


def build_home_window(config: KioskConfig) -> MainWindow:
    """What the home screen shows, before the runtime exists; ``start_services`` does the rest."""
    ctx = UiContext(config=config, font_scale=config.ui.font_scale, theme=config.ui.theme)
    window = MainWindow(ctx, services=False)
    window.resize(config.ui.width_px, config.ui.height_px)
    return window


def start_kiosk_runtime(config: KioskConfig) -> Runtime:
    """`kiosk run`'s core: logs, speech and database come up after the first paint."""
    from kiosk.runtime import start_runtime

    return start_runtime(config, database="later", logs="later", speech="later")


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
    config: KioskConfig,
    *,
    fullscreen: bool = True,
    on_first_paint: Callable[[], None] | None = None,
) -> int:
    """Show the kiosk and run the qasync event loop until the app quits (or SIGINT/SIGTERM).

    The home screen is painted first; then ``start_kiosk_runtime`` brings up the runtime, the
    window's services start (the home prompt is spoken) and the loop runs. The runtime is closed
    on the way out. ``on_first_paint`` is called once the home screen has been painted (the
    start-up benchmark).
    """
    from kiosk.logging_setup import hold_early_records

    hold_early_records()  # the log files open after the paint; nothing logged before is lost
    set_language(config.ui.language)
    app = application(font=False)
    window = build_home_window(config)
    window.ctx.request_exit = app.quit
    window.navigate("home")  # before the window shows: its widgets are laid out and polished once
    if fullscreen:
        window.lock_down()  # frameless, full screen, on top: only a technician can exit
    else:
        window.show()
    _paint_home_now(app, window, on_first_paint)
    runtime = start_kiosk_runtime(config)
    try:
        return _run_loop(app, window, runtime)
    finally:
        runtime.close()


def _run_loop(app: QApplication, window: MainWindow, runtime: Runtime) -> int:
    set_application_font(app)
    window.start_services(runtime)  # session, voice (the home prompt), overlay, technician mode
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

    import signal  # here: its enums cost ~1 ms, after the paint

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
