"""Helpers of the requests screen tests: a kiosk window on a real database, touching buttons by objectName,
pulled statuses applied like the changes feed, and QR codes read back from the screen."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.protocol import Change, ChangeKind, RequestEventData, RequestSnapshot
from kiosk.storage.column_types import utc_now
from support.kiosk_world import add_resident, trust
from ui.app import application, build_window
from ui.widgets.requests_flow import load_flow, sample_places

RESIDENT = "R-0082"
SIM_DEVICES = {
    "camera": {"driver": "sim", "fps": 30.0},
    "microphone": {"driver": "sim", "time_scale": 0.05},
    "printer": {"driver": "sim", "paper_mm": 58},
}


# -- helpers -------------------------------------------------------------------------------------------
def open_window(qtbot, runtime):
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    return win


def close_window(win):
    win.shutdown()
    win.close()


def click(qtbot, win, name: str) -> None:
    button = win.findChild(QPushButton, name)
    assert button is not None, f"no button {name}"
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be touched"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_text(qtbot, win, prefix: str, text: str) -> None:
    """Touch the visible choice button of a paged list whose words are ``text``."""
    for button in win.findChildren(QPushButton):
        if button.objectName().startswith(prefix) and button.isVisible() and button.accessibleName() == text:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise AssertionError(f"no visible {prefix} button {text!r}")


def wait_screen(qtbot, win, name: str, state: str | None = None, timeout: int = 10_000) -> object:
    qtbot.waitUntil(lambda: win.screens.current is not None and win.screens.current.name == name
                    and (state is None or win.screens.current.state == state), timeout=timeout)
    return win.screens.current


def store_place_map(db) -> None:
    """The community map as the changes feed stores it (one cache row per community)."""
    from kiosk.sync.models import ServerCache

    def tree(place) -> dict:
        return {"code": place.code, "zh": place.zh, "en": place.en, "kind": place.kind,
                "children": [tree(c) for c in place.children]}

    community = sample_places()[0]
    db.write(lambda s: s.merge(ServerCache(kind=ChangeKind.REQUEST_PLACES.value, key=community.code,
                                           data={"community": tree(community)})))


def identified(runtime, issuer) -> str:
    trust(runtime, issuer)
    add_resident(runtime, RESIDENT, "张*明", 1944, community_id="C-GX")
    return issuer.card(RESIDENT)


def file_directly(runtime, resident_id: str | None = RESIDENT, category: str = "safety_hazard") -> object:
    """A report filed through the core (for screens that follow reports)."""
    from kiosk.requests import filing

    flow = load_flow(runtime.database, resident_id)
    flow.draft.category, flow.draft.place_code, flow.draft.phrases = category, "C-GX-B3", ["old_wiring"]
    return flow, runtime.database.write(
        lambda s: filing.file_request(s, flow.draft, resident_id, filing.kiosk_code(s), places=flow.places))


def pull_status(runtime, tracking_no: str, status: str, note: str = "", *, finished_days_ago: float = 0.0) -> None:
    """The server's snapshot of a request, applied as the changes feed applies it."""
    from kiosk.requests.sync_apply import apply_status_change

    now = utc_now()
    created = now - timedelta(days=2 + finished_days_ago)
    finished = now - timedelta(days=finished_days_ago)
    snap = RequestSnapshot(
        tracking_no=tracking_no, status=status, note=note, updated_at=finished, created_at=created,
        resident_id=RESIDENT, category="safety_hazard", place_code="C-GX-B3",
        events=[RequestEventData(status="submitted", at=created, actor="resident"),
                RequestEventData(status="accepted", at=created + timedelta(hours=1), actor="staff"),
                RequestEventData(status=status, at=finished, note=note, actor="staff")],
        handler_note=note, finished_at=finished if status in ("resolved", "closed") else None,
        reopen_until=finished + timedelta(days=7) if status in ("resolved", "closed") else None,
    )
    change = Change(seq=1, kind=ChangeKind.REQUEST_STATUS, key=tracking_no, data=snap.model_dump(mode="json"))
    runtime.database.write(lambda s: apply_status_change(s, change, now))


def outbox_payloads(runtime, kind: str) -> list[dict]:
    from kiosk.sync.models import OutboxRow

    with runtime.database.session() as s:
        return [r.payload for r in s.query(OutboxRow).filter(OutboxRow.kind == kind).order_by(OutboxRow.seq)]


def decode_qr(label: QLabel) -> list[str]:
    import zxingcpp

    image = label.pixmap().toImage().convertToFormat(label.pixmap().toImage().Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)[:, :width]
    return [r.text for r in zxingcpp.read_barcodes(np.ascontiguousarray(pixels))]
