"""Runs `kiosk run`'s start path (ui.app.run) to the first paint and prints what was loaded then.

Printed as one JSON line: whether Python's ``Qt`` namespace, the runtime, the voice, the TOML
parser and QtSvg were loaded when the home screen painted; then whether the window's services
started once the loop ran, and the exit code.
"""

from __future__ import annotations

import json
import sys

from kiosk.config import load


def main() -> None:
    import PySide6.QtCore
    from PySide6.QtCore import QTimer

    from ui.app import application, run

    seen: dict[str, object] = {}

    def painted() -> None:
        seen["qt_namespace"] = "Qt" in PySide6.QtCore.__dict__
        for name in ("QDateTime", "QLibraryInfo"):  # Python types built only when first touched
            seen[name] = name in PySide6.QtCore.__dict__
        seen["QIcon"] = "QIcon" in sys.modules["PySide6.QtGui"].__dict__
        for module in ("kiosk.runtime", "kiosk.voice", "kiosk.session", "tomllib", "PySide6.QtSvg"):
            seen[module] = module in sys.modules
        QTimer.singleShot(0, application().quit)

    config = load(None)
    code = run(config, fullscreen=False, on_first_paint=painted)
    window = next(w for w in application().topLevelWidgets() if w.objectName() == "mainWindow")
    seen["services_started"] = window.services_started
    seen["exit_code"] = code
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
