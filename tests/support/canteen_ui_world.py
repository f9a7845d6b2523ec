"""A world for the canteen and points screens: the reference server (menus, tiers, points) on loopback,
a kiosk runtime on its own database enrolled and synced with it, a kiosk window, and real QR cards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from devices.speech.fake_backend import RecordingSpeech
from kiosk.runtime import Runtime, start_runtime
from kiosk.sync.service import SyncService
from kiosk.voice import Voice
from support.canteen_world import LOCAL, KioskSide, make_kiosk, new_code, seed_canteen, server_session, tomorrow
from support.kiosk_world import config_with_devices
from ui.app import application, build_window
from ui.main_window import MainWindow

SIM_PRINTER = {"printer": {"driver": "sim", "paper_mm": 58}}


@dataclass
class UiWorld:
    db_url: str
    url: str
    seed: dict[str, Any]
    side: KioskSide
    runtime: Runtime
    window: MainWindow
    speech: RecordingSpeech

    # people and cards ---------------------------------------------------------------------------
    def card(self, resident_id: str) -> str:
        """A real server-signed QR card payload for the resident."""
        from server.identity_admin import issue_identity_token

        with server_session(self.db_url) as s:
            payload, _row = issue_identity_token(s, resident_id, days=30, now=datetime.now(LOCAL))
        return payload

    def identify(self, qtbot: Any, resident_id: str, next_screen: str) -> None:
        """Show ``resident_id``'s card on the identify screen and wait for ``next_screen``."""
        screen = self.window.screens.show("identify", purpose="canteen", next=next_screen, allow_guest=False)
        screen.submit_payload(self.card(resident_id))
        qtbot.waitUntil(lambda: self.window.screens.current.name == next_screen, timeout=10_000)

    def sync(self) -> None:
        """One relay cycle (push what is queued, pull what changed) on this thread."""
        self.side.sync()

    # what the kiosk did -------------------------------------------------------------------------
    def printed(self) -> bytes:
        printer = self.runtime.devices.get("printer")
        return printer.transport.output if printer is not None else b""

    def spoken(self) -> list[str]:
        return [text for text, _lang in self.speech.spoken()]

    def screen(self, name: str) -> Any:
        return self.window.screens.screen(name)


def add_menu(db_url: str, day: date, meal: str, cutoff: time, dishes: list[dict[str, Any]] | None = None,
             capacity: int = 150, base_points: int = 150) -> int:
    """A menu on the server (and in its changes feed) for ``day`` and ``meal``; returns its id."""
    from kiosk.protocol import ChangeKind
    from server.changes import record_change
    from server.models import Menu

    with server_session(db_url) as s:
        menu = Menu(community_id="C-01", day=day, meal=meal, capacity=capacity, base_price_points=base_points,
                    dishes=dishes or [{"name": "白切鸡", "allergens": [], "tags": ["low_salt"]}], cutoff_time=cutoff)
        s.add(menu)
        s.flush()
        record_change(s, ChangeKind.MENU, f"C-01:{day.isoformat()}:{meal}", menu.feed_data())
        return menu.id


@contextmanager
def ui_world(tmp_path: Path, qtbot: Any, *, devices: dict[str, dict[str, Any]] | None = None,
             days: tuple[date, ...] | None = None, prepare: Any = None) -> Iterator[UiWorld]:
    """Seed the server (``seed_canteen``: an 82-year-old R-000082 with 1000 points, lunch and dinner
    on ``days``), run it, enroll a kiosk and sync it; ``prepare(db_url)`` may add to the server first.
    The relay is stepped by hand (``world.sync()``): no background sync thread."""
    from server.testing import ServerThread

    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_canteen(db_url, days=days or (tomorrow(),))
    if prepare is not None:
        prepare(db_url)
    application()
    with ServerThread(db_url, migrate=False) as server:
        side = make_kiosk(server.base_url, tmp_path / "kiosk.sqlite3", new_code(db_url))
        config = config_with_devices(devices if devices is not None else SIM_PRINTER)
        config.server.url = server.base_url
        runtime = start_runtime(config, speech=False, database=False, logs=False)
        speech = RecordingSpeech()
        speech.open()
        runtime.voice.close()
        runtime.voice = Voice(speech, default_volume=config.voice.volume, default_rate_wpm=config.voice.rate_wpm)
        runtime.database = side.db
        runtime.sync = SyncService(side.client, side.relay, side.link.wallet)
        window = build_window(runtime)
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        window.navigate("home")
        try:
            yield UiWorld(db_url, server.base_url, seed, side, runtime, window, speech)
        finally:
            window.shutdown()
            window.close()
            runtime.sync = None  # the kiosk side closes its own client and database
            runtime.database = None
            runtime.close()
            side.close()
