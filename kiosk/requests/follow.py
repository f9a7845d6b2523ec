"""Following requests: the resident's list and timelines from local rows and pulled snapshots,
rating and reopening (outbox records), and the public status behind a receipt's QR (online)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.i18n import N_, current_language, tr
from kiosk.protocol import PublicRequestStatus, RecordKind, RequestRate, RequestReopen, valid_tracking_number
from kiosk.requests import errors
from kiosk.requests.catalog import places as pulled_places
from kiosk.requests.catalog import place_path_text
from kiosk.requests.filing import RECEIPT_PREFIX, _enqueue
from kiosk.requests.models import FiledRequest, RequestMedia, RequestOutboxLink
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import PENDING, OutboxRow, SettingCache

STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "resolved", "closed", "returned", "reopened")
FINISHED = ("resolved", "closed", "returned")
RATEABLE = ("resolved", "closed")
LOW_RATING = 2
REOPEN_WINDOW_KEY = "requests.reopen_window_days"
DEFAULT_REOPEN_WINDOW_DAYS = 7
POINTS_REASONS = {"safety_hazard_confirmed": N_("requests.points_reason.safety_hazard_confirmed")}
_RECEIPT = re.compile(RECEIPT_PREFIX + r":([A-Z0-9-]{10,32}):([A-Z0-9]{4,12})")


@dataclass(frozen=True)
class TimelineEvent:
    status: str
    at: datetime
    note: str
    actor: str  # resident | staff | system


@dataclass(frozen=True)
class RequestView:
    tracking_no: str
    category: str  # category code (name: catalog.category_name)
    place_text: str  # in the current language when the place is on the pulled map
    status: str
    created_at: datetime
    events: tuple[TimelineEvent, ...]
    handler_note: str
    result_photo: bytes | None
    can_rate: bool
    can_reopen: bool
    rating: int | None
    points_awarded: int
    points_reason: str  # translated, e.g. "确认了安全隐患，奖励 20 积分（治理）"
    pending_sync: bool


@dataclass(frozen=True)
class PublicStatus:
    tracking_no: str
    category: str
    status: str
    updated_at: datetime
    events: tuple[TimelineEvent, ...]


def _aware(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=utc_now().tzinfo)


def reopen_window(session: Session) -> timedelta:
    """How long after a request was finished it may be reopened (the server's setting, pulled)."""
    row = session.get(SettingCache, REOPEN_WINDOW_KEY)
    try:
        days = float(row.value) if row is not None else DEFAULT_REOPEN_WINDOW_DAYS
    except (TypeError, ValueError):
        days = DEFAULT_REOPEN_WINDOW_DAYS
    return timedelta(days=days)


def _pending_kinds(session: Session, tracking_nos: list[str]) -> dict[str, set[str]]:
    """Kinds of outbox records still waiting for delivery, per tracking number."""
    if not tracking_nos:
        return {}
    rows = session.execute(
        select(RequestOutboxLink.tracking_no, RequestOutboxLink.kind)
        .join(OutboxRow, OutboxRow.key == RequestOutboxLink.outbox_key)
        .where(RequestOutboxLink.tracking_no.in_(tracking_nos), OutboxRow.state == PENDING)
    ).all()
    out: dict[str, set[str]] = {}
    for tracking_no, kind in rows:
        out.setdefault(tracking_no, set()).add(kind)
    return out


def _finished_at(row: FiledRequest) -> datetime | None:
    if row.finished_at is not None:
        return row.finished_at
    finished = [_aware(e.get("at")) for e in row.events or [] if e.get("status") in FINISHED]
    return finished[-1] if finished and row.status in FINISHED else None


def _reopen_until(session: Session, row: FiledRequest) -> datetime | None:
    if row.reopen_until is not None:
        return row.reopen_until
    finished = _finished_at(row)
    return finished + reopen_window(session) if finished else None


def _points_reason(row: FiledRequest) -> str:
    if not row.points_reason:
        return ""
    key = POINTS_REASONS.get(row.points_reason)
    return tr(key, points=row.points_awarded) if key else row.points_reason


def _view(session: Session, row: FiledRequest, pending: set[str], now: datetime, places: list | None) -> RequestView:
    lang = current_language()
    place = place_path_text(places or [], row.place_code, lang) if row.place_code else ""
    photo = None
    if row.result_photo_sha:
        photo = session.scalar(select(RequestMedia.data).where(
            RequestMedia.tracking_no == row.tracking_no, RequestMedia.sha256 == row.result_photo_sha))
    until = _reopen_until(session, row)
    owned = row.resident_id is not None
    can_rate = (owned and row.status in RATEABLE and row.rating is None
                and RecordKind.REQUEST_RATE.value not in pending and row.reopen_requested_at is None)
    can_reopen = (owned and row.status in FINISHED and until is not None and now <= until
                  and row.reopen_requested_at is None and RecordKind.REQUEST_REOPEN.value not in pending)
    events = tuple(TimelineEvent(str(e.get("status", "")), _aware(e.get("at")) or row.created_at,
                                 str(e.get("note", "")), str(e.get("actor", ""))) for e in row.events or [])
    return RequestView(
        tracking_no=row.tracking_no, category=row.category, place_text=place or row.place_text, status=row.status,
        created_at=row.created_at, events=events, handler_note=row.handler_note or "", result_photo=photo,
        can_rate=can_rate, can_reopen=can_reopen, rating=row.rating, points_awarded=row.points_awarded or 0,
        points_reason=_points_reason(row), pending_sync=bool(pending),
    )


def my_requests(session: Session, resident_id: str, *, now: datetime | None = None) -> list[RequestView]:
    """The resident's requests, newest first (filed here or at another kiosk of the community)."""
    rows = session.scalars(select(FiledRequest).where(FiledRequest.resident_id == resident_id)
                           .order_by(FiledRequest.created_at.desc(), FiledRequest.tracking_no.desc())).all()
    pending = _pending_kinds(session, [r.tracking_no for r in rows])
    now = now or utc_now()
    places = pulled_places(session) if rows else []
    return [_view(session, r, pending.get(r.tracking_no, set()), now, places) for r in rows]


def request_view(session: Session, tracking_no: str, *, now: datetime | None = None) -> RequestView | None:
    row = session.get(FiledRequest, tracking_no)
    if row is None:
        return None
    pending = _pending_kinds(session, [tracking_no]).get(tracking_no, set())
    return _view(session, row, pending, now or utc_now(), pulled_places(session))


def _row(session: Session, tracking_no: str) -> FiledRequest:
    row = session.get(FiledRequest, tracking_no)
    if row is None:
        raise errors.RequestError(errors.NOT_FOUND, tracking_no=tracking_no)
    return row


def rate(session: Session, tracking_no: str, stars: int, reason: str = "", *, now: datetime | None = None) -> None:
    """Queue the resident's rating (in the caller's write transaction); 2 stars or fewer needs a
    reason and reopens the request on the server (within the window).

    Raises RequestError ``requests.not_found``, ``requests.rating_invalid``,
    ``requests.rating_needs_reason``, ``requests.not_rateable``.
    """
    row = _row(session, tracking_no)
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise errors.RequestError(errors.RATING_INVALID)
    if stars <= LOW_RATING and not reason.strip():
        raise errors.RequestError(errors.RATING_NEEDS_REASON)
    now = now or utc_now()
    pending = _pending_kinds(session, [tracking_no]).get(tracking_no, set())
    if not _view(session, row, pending, now, []).can_rate:
        raise errors.RequestError(errors.NOT_RATEABLE)
    row.rating, row.rating_reason, row.rated_at = stars, reason.strip(), now
    if stars <= LOW_RATING:  # the server reopens it: no separate reopening meanwhile
        row.reopen_requested_at = now
    msg = RequestRate(tracking_no=tracking_no, stars=stars, reason=reason.strip(), resident_id=row.resident_id)
    _enqueue(session, tracking_no, RecordKind.REQUEST_RATE, msg.model_dump(mode="json"), None)
    session.flush()


def reopen(session: Session, tracking_no: str, reason: str, *, now: datetime | None = None) -> None:
    """Queue a reopening (caller's write transaction); only within the window after it was finished.

    Raises RequestError ``requests.not_found``, ``requests.reason_required``,
    ``requests.not_reopenable``, ``requests.reopen_window_passed``.
    """
    row = _row(session, tracking_no)
    if not reason.strip():
        raise errors.RequestError(errors.REASON_REQUIRED)
    now = now or utc_now()
    pending = _pending_kinds(session, [tracking_no]).get(tracking_no, set())
    if (row.resident_id is None or row.status not in FINISHED or row.reopen_requested_at is not None
            or RecordKind.REQUEST_REOPEN.value in pending):
        raise errors.RequestError(errors.NOT_REOPENABLE)
    until = _reopen_until(session, row)
    if until is None or now > until:
        raise errors.RequestError(errors.REOPEN_WINDOW_PASSED, days=reopen_window(session).days)
    row.reopen_requested_at = now
    msg = RequestReopen(tracking_no=tracking_no, reason=reason.strip(), resident_id=row.resident_id)
    _enqueue(session, tracking_no, RecordKind.REQUEST_REOPEN, msg.model_dump(mode="json"), None)
    session.flush()


def parse_receipt(text: str) -> tuple[str, str] | None:
    """(tracking_no, code) from a scanned receipt QR, or None when it is not one of ours."""
    match = _RECEIPT.fullmatch((text or "").strip().upper())
    if match is None or not valid_tracking_number(match.group(1)):
        return None
    return match.group(1), match.group(2)


def parse_receipt_payload(text: str) -> str | None:
    """The tracking number of a scanned receipt QR, None if the text is not a receipt."""
    parsed = parse_receipt(text)
    return parsed[0] if parsed else None


def public_status(client, receipt_payload: str) -> PublicStatus:  # noqa: ANN001 - kiosk.sync.transport.ServerClient
    """Ask the server for the status behind a receipt (blocking: run it off the Qt thread).

    Shows no personal details: status, category and the timeline's steps only. Raises
    RequestError ``requests.invalid_receipt``, ``requests.not_found`` or ``requests.offline``.
    """
    from kiosk.sync.errors import BadRequest, SyncError

    parsed = parse_receipt(receipt_payload)
    if parsed is None:
        raise errors.RequestError(errors.INVALID_RECEIPT)
    tracking_no, code = parsed
    try:
        answer: PublicRequestStatus = client.call(
            "GET", f"/requests/{tracking_no}/public", PublicRequestStatus, params={"code": code})
    except BadRequest as exc:
        if exc.status == 404:
            raise errors.RequestError(errors.NOT_FOUND, tracking_no=tracking_no) from None
        raise errors.RequestError(errors.OFFLINE) from None
    except SyncError:
        raise errors.RequestError(errors.OFFLINE) from None
    return PublicStatus(
        tracking_no=answer.tracking_no, category=answer.category, status=answer.status, updated_at=answer.updated_at,
        events=tuple(TimelineEvent(e.status, e.at, "", e.actor) for e in answer.events),
    )
