"""Service requests (报事报修): filing, media chunks, ratings, reopening, status and tracking numbers."""

from __future__ import annotations

import base64
import re
from datetime import datetime

from pydantic import Field

from kiosk.protocol.wire import WireModel


REQUEST_STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "resolved", "closed", "returned",
                    "reopened")
REQUEST_URGENCIES = ("normal", "urgent")
MEDIA_KINDS = ("photo", "voice", "result")
MEDIA_CHUNK_BYTES = 32 * 1024  # raw bytes per request.media record: a 200-record push stays < 10 MB
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_VOICE_BYTES = 4 * 1024 * 1024
MAX_VOICE_S = 60.0
MAX_REQUEST_TEXT = 4000  # Open311 description limit
TRACKING_NO = re.compile(r"([A-Z0-9]{2,12})-([0-9]{6})-([0-9]{4,6})([0-9A-Z])")  # use with fullmatch
_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tracking_check_char(body: str) -> str:
    """Luhn mod 36 check character over the letters and digits of ``body`` (dashes ignored).

    Catches every single wrong character and most swaps of neighbours, so a number read out
    over the phone or typed by staff is checked before it is looked up.
    """
    chars = [c for c in body.upper() if c != "-"]
    total, factor = 0, 2
    for ch in reversed(chars):
        addend = factor * _CHECK_ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // 36 + addend % 36
    return _CHECK_ALPHABET[(36 - total % 36) % 36]


def tracking_number(code: str, yymmdd: str, seq: int) -> str:
    """``<code>-<yymmdd>-<seq><check>``, e.g. ``1A2B3C4D-261121-0007K``; ValueError if malformed."""
    body = f"{code}-{yymmdd}-{seq:04d}"
    number = body + tracking_check_char(body)
    if not TRACKING_NO.fullmatch(number):
        raise ValueError(f"tracking number {number!r} is malformed")
    return number


def valid_tracking_number(text: str) -> bool:
    """True when ``text`` has the tracking number shape and its check character matches."""
    return bool(TRACKING_NO.fullmatch(text)) and tracking_check_char(text[:-1]) == text[-1]


class MediaRef(WireModel):
    """A photo or voice note that belongs to a request; its bytes follow in request.media records."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: str = Field(pattern=r"^(photo|voice)$")
    mime: str = Field(max_length=64)
    size: int = Field(gt=0)
    duration_s: float | None = Field(default=None, ge=0, le=MAX_VOICE_S + 1)


class RequestFile(WireModel):
    """A report filed at a kiosk; ``tracking_no`` was made by the kiosk (unique without the server)."""

    tracking_no: str = Field(max_length=32)
    category: str = Field(max_length=32)
    place_code: str = Field(default="", max_length=64)
    place_text: str = Field(default="", max_length=200)  # the place in words (zh), as the kiosk showed it
    phrases: list[str] = Field(default_factory=list, max_length=20)  # phrase codes of the category
    text: str = Field(default="", max_length=MAX_REQUEST_TEXT)
    urgency: str = Field(default="normal", pattern=r"^(normal|urgent)$")
    resident_id: str | None = Field(default=None, max_length=32)  # None: a guest's report
    receipt_code: str = Field(pattern=r"^[A-Z0-9]{4,12}$")  # the secret on the receipt's QR
    media: list[MediaRef] = Field(default_factory=list, max_length=4)


class RequestMediaChunk(WireModel):
    """Piece ``index`` of ``count`` of one media file (base64 of <= MEDIA_CHUNK_BYTES raw bytes)."""

    tracking_no: str = Field(max_length=32)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    index: int = Field(ge=0)
    count: int = Field(ge=1, le=(MAX_VOICE_BYTES // MEDIA_CHUNK_BYTES) + 1)
    data: str = Field(max_length=(MEDIA_CHUNK_BYTES * 4) // 3 + 4)


class RequestRate(WireModel):
    tracking_no: str = Field(max_length=32)
    stars: int = Field(ge=1, le=5)
    reason: str = Field(default="", max_length=500)
    resident_id: str | None = Field(default=None, max_length=32)


class RequestReopen(WireModel):
    tracking_no: str = Field(max_length=32)
    reason: str = Field(min_length=1, max_length=500)
    resident_id: str | None = Field(default=None, max_length=32)


class RequestEventData(WireModel):
    status: str
    at: datetime
    note: str = ""
    actor: str = ""  # resident | staff | system


class RequestSnapshot(WireModel):
    """What kiosks get (REQUEST_STATUS change) about one request after every change on the server."""

    tracking_no: str
    status: str
    note: str = ""  # the note of the latest status change
    updated_at: datetime
    created_at: datetime
    resident_id: str | None = None
    category: str
    place_code: str = ""
    place_text: str = ""
    urgency: str = "normal"
    events: list[RequestEventData] = Field(default_factory=list)
    handler_note: str = ""  # the latest note staff wrote
    result_photo: str | None = None  # sha256 of the result photo (bytes in a REQUEST_PHOTO change)
    rating: int | None = None
    points_awarded: int = 0
    points_reason: str = ""  # reason code, e.g. "safety_hazard_confirmed"
    finished_at: datetime | None = None  # last resolved/closed/returned
    reopen_until: datetime | None = None  # the resident may reopen until then


class PublicRequestStatus(WireModel):
    """GET /requests/{tracking_no}/public: the status for a receipt's QR; nothing personal."""

    tracking_no: str
    category: str
    status: str
    updated_at: datetime
    events: list[RequestEventData]
