"""Filing a request at the kiosk: the draft, the confirmation read aloud, and one transaction that
stores the request, its media and its outbox records (works offline).

Tracking numbers are made here without the server: ``<kiosk code>-<yymmdd>-<seq><check>``
(e.g. ``1A2B3C4D-261121-0007K``). The kiosk code is the enrolled kiosk id, or before enrollment
"Z" and the install id's first hex digits (enrolled ids are hex only, so the two never meet);
the day is the kiosk's local day; the sequence counts that code's requests of that day in the
database (a unique constraint backs it), so it survives restarts; the check character (Luhn
mod 36) catches a mistyped or misread number.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.i18n import _, current_language, tr
from kiosk.protocol import MAX_REQUEST_TEXT, RecordKind, RequestFile, tracking_number
from kiosk.requests import errors
from kiosk.requests.catalog import Category, Place, category_name, find_category, place_path_text
from kiosk.requests.media import MediaFile, chunks, photo_file, voice_file
from kiosk.requests.models import FiledRequest, RequestMedia, RequestOutboxLink
from kiosk.storage.column_types import utc_now
from kiosk.storage.meta import INSTALL_ID, get_meta
from kiosk.sync import outbox
from kiosk.sync.state import read_credentials

URGENCIES = ("normal", "urgent")
MAX_PHRASES = 20
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
RECEIPT_PREFIX = "KR1"
RECEIPT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RECEIPT_CODE_LENGTH = 6
_KIOSK_CODE = re.compile(r"[A-Z0-9]{2,12}")


@dataclass
class Draft:
    category: str
    place_code: str
    phrases: list[str] = field(default_factory=list)
    text: str = ""
    urgency: str = "normal"
    photo_jpeg: bytes | None = None
    voice_note: bytes | None = None  # audio file bytes
    voice_note_mime: str | None = None
    voice_note_s: float | None = None


@dataclass(frozen=True)
class Filed:
    tracking_no: str
    receipt_payload: str  # the receipt's QR: "KR1:<tracking_no>:<code>" (ASCII, QR alphanumeric set)
    created_at: datetime


def kiosk_code(session: Session) -> str:
    """This kiosk's code for tracking numbers: the enrolled id's hex digits, else "Z" + install id."""
    creds = read_credentials(session)
    if creds is not None:
        code = re.sub(r"[^A-Z0-9]", "", creds.kiosk_id.upper().removeprefix("K-"))
        if _KIOSK_CODE.fullmatch(code):
            return code
    install = re.sub(r"[^0-9A-F]", "", (get_meta(session, INSTALL_ID) or "").upper())
    return "Z" + (install[:7] or "0000000")


def receipt_payload(tracking_no: str, code: str) -> str:
    return f"{RECEIPT_PREFIX}:{tracking_no}:{code}"


def _media_of(draft: Draft) -> list[MediaFile]:
    files = []
    if draft.photo_jpeg is not None:
        files.append(photo_file(draft.photo_jpeg))
    if draft.voice_note is not None:
        files.append(voice_file(draft.voice_note, draft.voice_note_mime, draft.voice_note_s))
    return files


def check_draft(draft: Draft) -> list[MediaFile]:
    """Refuse a draft that cannot be filed (RequestError with a key); returns its media files."""
    if not draft.category or len(draft.category) > 32:
        raise errors.RequestError(errors.CATEGORY_REQUIRED)
    if draft.urgency not in URGENCIES:
        raise errors.RequestError(errors.URGENCY_INVALID)
    if len(draft.text) > MAX_REQUEST_TEXT:
        raise errors.RequestError(errors.TEXT_TOO_LONG, max=MAX_REQUEST_TEXT)
    if len(draft.phrases) > MAX_PHRASES:
        raise errors.RequestError(errors.TOO_MANY_PHRASES, max=MAX_PHRASES)
    return _media_of(draft)


def _next_seq(session: Session, code: str, day: str) -> int:
    last = session.scalar(select(func.max(FiledRequest.day_seq)).where(
        FiledRequest.kiosk_code == code, FiledRequest.local_day == day))
    return int(last or 0) + 1


def _enqueue(session: Session, tracking_no: str, kind: RecordKind, payload: dict, operator_id: str | None) -> None:
    key = outbox.enqueue(session, kind.value, payload, operator_id=operator_id)
    session.add(RequestOutboxLink(outbox_key=str(key), tracking_no=tracking_no, kind=kind.value))


def file_request(
    session: Session, draft: Draft, resident_id: str | None, kiosk_code: str, operator_id: str | None = None,
    *, places: list[Place] | None = None, now: datetime | None = None,
) -> Filed:
    """Store the request, its media and its outbox records in the caller's write transaction.

    Call inside ``db.write`` / ``db.write_async`` (one transaction: all or nothing); works offline.
    ``places`` (default: the pulled map) gives the place in words kept with the request.
    Raises RequestError for a draft that cannot be filed; nothing is stored then.
    """
    media = check_draft(draft)
    if not _KIOSK_CODE.fullmatch(kiosk_code or ""):
        raise errors.RequestError(errors.KIOSK_CODE_INVALID)
    now = now or utc_now()
    day = now.astimezone(LOCAL_TZ).strftime("%y%m%d")
    seq = _next_seq(session, kiosk_code, day)
    tracking_no = tracking_number(kiosk_code, day, seq)
    code = "".join(secrets.choice(RECEIPT_CODE_ALPHABET) for _i in range(RECEIPT_CODE_LENGTH))
    if places is None:
        from kiosk.requests.catalog import places as pulled_places

        places = pulled_places(session)
    place_text = place_path_text(places, draft.place_code, "zh") if draft.place_code else ""
    session.add(FiledRequest(
        tracking_no=tracking_no, origin="local", kiosk_code=kiosk_code, local_day=day, day_seq=seq,
        resident_id=resident_id, operator_id=operator_id, category=draft.category, place_code=draft.place_code,
        place_text=place_text, phrases=list(draft.phrases), text=draft.text.strip(), urgency=draft.urgency,
        receipt_code=code, created_at=now, status="submitted", status_at=now,
        events=[{"status": "submitted", "at": now.isoformat(), "note": "", "actor": "resident"}],
        handler_note="", rating_reason="", points_awarded=0, points_reason="", server_seen=False,
    ))
    for m in media:
        session.add(RequestMedia(tracking_no=tracking_no, sha256=m.sha256, kind=m.kind, mime=m.mime,
                                 size=len(m.data), duration_s=m.duration_s, data=m.data, created_at=now))
    session.flush()  # the unique (kiosk code, day, seq) is checked before anything is queued
    filed = RequestFile(
        tracking_no=tracking_no, category=draft.category, place_code=draft.place_code, place_text=place_text[:200],
        phrases=list(draft.phrases), text=draft.text.strip(), urgency=draft.urgency, resident_id=resident_id,
        receipt_code=code, media=[m.ref() for m in media],
    )
    _enqueue(session, tracking_no, RecordKind.REQUEST_FILE, filed.model_dump(mode="json"), operator_id)
    for m in media:
        for piece in chunks(tracking_no, m):
            _enqueue(session, tracking_no, RecordKind.REQUEST_MEDIA, piece.model_dump(mode="json"), operator_id)
    session.flush()
    return Filed(tracking_no, receipt_payload(tracking_no, code), now)


def _urgency_text(urgency: str) -> str:
    return _("Urgent") if urgency == "urgent" else _("Not urgent")


def confirm_text(draft: Draft, categories: list[Category], places: list[Place]) -> str:
    """The whole report in words in the current language, to show and read aloud."""
    lang = current_language()
    cat = find_category(categories, draft.category)
    sentences = [tr("You are reporting: {category}.", category=category_name(categories, draft.category, lang))]
    place = place_path_text(places, draft.place_code, lang)
    if place:
        sentences.append(tr("Place: {place}.", place=place))
    said = [(cat.phrase(code).name(lang) if cat and cat.phrase(code) else code) for code in draft.phrases]
    if said:
        sentences.append(tr("What is wrong: {phrases}.", phrases=("，" if lang == "zh_CN" else ", ").join(said)))
    if added := draft.text.strip():
        if not added.endswith(("。", "！", "？", ".", "!", "?")):
            added += "。" if lang == "zh_CN" else "."
        sentences.append(tr("You added: {text}", text=added))
    sentences.append(tr("Urgency: {urgency}.", urgency=_urgency_text(draft.urgency)))
    if draft.photo_jpeg:
        sentences.append(_("A photo is attached."))
    if draft.voice_note:
        sentences.append(tr("A voice note of {seconds} seconds is attached.",
                            seconds=int(round(draft.voice_note_s or 0))))
    sentences.append(_("Is this right?"))
    return ("" if lang == "zh_CN" else " ").join(sentences)


def receipt_document(filed: Filed, draft: Draft, categories: list[Category], places: list[Place], paper_mm: int):  # noqa: ANN201
    """The printed receipt (current language): number, what and where, and the status QR."""
    from kiosk.requests.receipt import build_receipt

    return build_receipt(filed, draft, categories, places, paper_mm)
