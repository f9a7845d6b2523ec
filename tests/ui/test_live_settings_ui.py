"""Settings the server pushes reach the running window: time-outs at once, look-and-feel when nobody is using it."""

from __future__ import annotations

import threading

from kiosk.live_config import apply_server_settings
from support.kiosk_world import kiosk_runtime
from ui.app import application, build_window


def _apply_from_the_relay_thread(runtime, settings):
    done = []
    worker = threading.Thread(target=lambda: done.append(apply_server_settings(runtime, settings)))
    worker.start()
    worker.join(10)
    return done[0]


def test_pushed_time_outs_and_defaults_apply_without_a_restart(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime:
        application()
        win = build_window(runtime)
        qtbot.addWidget(win)
        win.show()
        win.navigate("home")
        try:
            applied = _apply_from_the_relay_thread(runtime, {
                "session.idle_timeout_s": 90, "session.countdown_s": 20, "ui.font_scale": 1.25,
                "ui.theme": "high_contrast", "server.url": "http://evil.example"})
            assert "server.url" not in applied  # not a live key: ignored
            qtbot.waitUntil(lambda: win.ctx.session.idle_timeout_s == 90, timeout=3000)
            assert win.ctx.session.countdown_s == 20
            assert (win.ctx.font_scale, win.ctx.theme) == (1.25, "high_contrast")
        finally:
            win.shutdown()
            win.close()


def test_look_and_feel_never_changes_under_a_residents_finger(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime:
        application()
        win = build_window(runtime)
        qtbot.addWidget(win)
        win.show()
        win.navigate("home")
        try:
            win.navigate("call_staff")  # a resident is using the kiosk
            assert win.ctx.session.active
            _apply_from_the_relay_thread(runtime, {"ui.font_scale": 1.5, "session.idle_timeout_s": 45})
            qtbot.waitUntil(lambda: win.ctx.session.idle_timeout_s == 45, timeout=3000)
            assert win.ctx.font_scale == 1.0 and win.screens.current.name == "call_staff"
            win.ctx.session.end("idle")
            win.end_session()  # the next person gets the new default
            assert win.ctx.font_scale == 1.5
        finally:
            win.shutdown()
            win.close()
