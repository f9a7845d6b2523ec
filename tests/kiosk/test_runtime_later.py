"""`kiosk run` paints first: logs, speech and the database start in after_first_paint()."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from devices import registry
from devices.speech.null_backend import NullSpeech
from kiosk.config import load
from kiosk.logging_setup import KIOSK_LOG
from kiosk.runtime import start_runtime


def test_what_start_up_leaves_for_later_starts_after_the_first_paint_and_loses_nothing() -> None:
    config = load(None)
    runtime = start_runtime(config, logs="later", speech="later", database="later")
    log_file = Path(os.environ["KIOSK_LOG_DIR"]) / KIOSK_LOG
    try:
        stand_in = runtime.voice.backend
        assert isinstance(stand_in, NullSpeech)  # silent while the home screen is drawn
        assert runtime.database is None and not log_file.exists()
        runtime.voice.speak_prompt("欢迎", "zh_CN")
        logging.getLogger("kiosk.test").info("logged before the first paint")

        runtime.after_first_paint()

        assert "logged before the first paint" in log_file.read_text(encoding="utf-8")
        usable, _why = registry.get("speech", config.voice.backend).usable()
        if usable:  # espeak-ng installed (the Makefile installs it): the real engine took over
            assert type(runtime.voice.backend).__name__ == "Pyttsx3Speech"
        else:
            assert isinstance(runtime.voice.backend, NullSpeech) and runtime.voice.backend is not stand_in
        assert runtime.open_database_async().result(timeout=60) is runtime.database
        runtime.after_first_paint()  # a second call starts nothing twice
        assert runtime.database is not None
    finally:
        runtime.close()
        from kiosk.logging_setup import shutdown_logging

        shutdown_logging()


def test_the_default_start_does_everything_at_once_for_tools_and_tests() -> None:
    runtime = start_runtime(load(None), speech=False, database=True, logs=False)
    try:
        assert runtime.open_database_async().result(timeout=60) is not None
        runtime.after_first_paint()  # nothing was left for later: a no-op
    finally:
        runtime.close()
