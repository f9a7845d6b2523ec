"""`kiosk screenshot`: one PNG per screen and state at 1920x1080."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import KioskConfig
from ui.screen_walk import offscreen_window, walk


def take_screenshots(config: KioskConfig, out_dir: Path, lang: str, scale: float,
                     only: tuple[str, ...] = ()) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with offscreen_window(config, lang, scale) as window:
        for shot in walk(window, only):
            path = out_dir / f"{shot.screen}-{shot.state}.png"
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
    return written
