import sys, time
T0 = time.perf_counter()
marks=[]
def m(n): marks.append((n, time.perf_counter()-T0))
def main():
    from PySide6 import QtCore, QtGui, QtWidgets; m('pyside')
    from PySide6.QtCore import Qt; m('Qt ns')
    from kiosk.config import load; m('kiosk.config')
    from kiosk import paths; m('paths')
    import kiosk.logging_setup; m('logging_setup')
    import kiosk.voice; m('voice')
    from kiosk.runtime import start_runtime; m('kiosk.runtime')
    import ui.theme, ui.icons; m('theme/icons')
    import ui.widgets.top_bar; m('top_bar')
    import ui.main_window; m('main_window')
    from ui.app import application, run, build_window, _paint_home_now; m('ui.app')
    config = load(None); m('config load')
    runtime = start_runtime(config, speech="later", database="later", logs="later"); m('start_runtime')
    app = application(); m('QApplication')

    w = build_window(runtime, watch_input=False); m('build_window')
    w.navigate('home'); m('navigate')
    w.show(); m('show')
    _paint_home_now(app, w, lambda: m('painted'))
    prev=0
    for n,t in marks: print(f"{n:20s} {t*1000:7.1f} (+{(t-prev)*1000:5.1f})"); prev=t
    import os; os._exit(0)
main()
