"""Helpers of the kiosk request tests: real JPEG and WAV bytes, drafts, and pulled pages."""

from __future__ import annotations

import io
import math
import struct
import wave
from datetime import datetime
from typing import Any

from PIL import Image, ImageDraw

from kiosk.protocol import Change, ChangeKind, ChangesResponse
from kiosk.requests.filing import Draft
from kiosk.storage import Database
from kiosk.storage.column_types import utc_now
from kiosk.sync.pull import apply_page
from kiosk.sync.state import read_cursor


def camera_jpeg(width: int = 1280, height: int = 720) -> bytes:
    """A camera-like picture: a gradient with a shape on it, as JPEG."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def voice_wav(seconds: float = 3.0, rate: int = 16000) -> bytes:
    """A mono 16-bit WAV tone of ``seconds``."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                          for i in range(int(seconds * rate)))
        wav.writeframes(frames)
    return out.getvalue()


def hazard_draft(**kw: Any) -> Draft:
    values = dict(category="safety_hazard", place_code="C-01-P-FIRE_LANE", phrases=["fire_lane_blocked"],
                  text="楼下堆满了纸箱", urgency="urgent")
    values.update(kw)
    return Draft(**values)


_SEQ = [0]


def pull(db: Database, *changes: tuple[ChangeKind, str, dict[str, Any]], as_of: datetime | None = None) -> None:
    """Apply changes as one pulled page through the real pull code."""
    with db.session() as s:
        cursor = read_cursor(s)
    page = []
    for kind, key, data in changes:
        _SEQ[0] += 1
        page.append(Change(seq=cursor + len(page) + 1, kind=kind, key=key, data=data))
    response = ChangesResponse(changes=page, cursor=cursor + len(page), more=False)
    db.write(lambda s: apply_page(s, cursor, response, as_of or utc_now()))


def snapshot(tracking_no: str, status: str, *, created_at: datetime, events: list[tuple[str, datetime, str, str]],
             **extra: Any) -> dict[str, Any]:
    data = {
        "tracking_no": tracking_no, "status": status, "note": events[-1][2], "updated_at": events[-1][1].isoformat(),
        "created_at": created_at.isoformat(), "resident_id": "R-000001", "category": "repair",
        "place_code": "C-01-P-GATE", "place_text": "葛巷社区 小区大门", "urgency": "normal",
        "events": [{"status": s, "at": at.isoformat(), "note": n, "actor": a} for s, at, n, a in events],
    }
    data.update(extra)
    return data
