"""The request workflow: filing, allowed status transitions, SLA timers with overdue flags,
ratings, reopening within a window, safety-hazard points, and the snapshots kiosks pull.

Timers (STANDARDS s8, Zhejiang hotline norms): accept within 2 h (15 min when urgent), resolve
within 72 h of filing (or of reopening), call back within 48 h after closing. A flag is raised
when the deadline passed before the step was done, or passed and the step is still not done.

Every change publishes a REQUEST_STATUS change (a :class:`RequestSnapshot`) to the kiosk that
filed the request and to the kiosks of the resident's community. All functions work in the
caller's transaction and never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, RequestEventData, RequestSnapshot
from server.changes import record_change
from server.handlers import Rejected
from server.kiosk_config import settings_of
from server.models import Kiosk, Resident, ServiceRequest, ServiceRequestEvent
from server.models.service_requests import TRANSITIONS, RequestStatus
from server.requests.catalog import is_safety_hazard

ACCEPT_WITHIN = timedelta(hours=2)
ACCEPT_WITHIN_URGENT = timedelta(minutes=15)
RESOLVE_WITHIN = timedelta(hours=72)
CALLBACK_WITHIN = timedelta(hours=48)
REOPEN_WINDOW_KEY = "requests.reopen_window_days"  # kiosk setting (global): also tells kiosks
DEFAULT_REOPEN_WINDOW_DAYS = 7
HAZARD_POINTS_KEY = "requests.hazard_points"
DEFAULT_HAZARD_POINTS = 20
HAZARD_REASON = "safety_hazard_confirmed"
HAZARD_DIMENSION = "governance"
LOW_RATING = 2  # this many stars or fewer, with a reason, reopens the request
FINISHED = frozenset({RequestStatus.RESOLVED, RequestStatus.CLOSED, RequestStatus.RETURNED})
RATEABLE = frozenset({RequestStatus.RESOLVED, RequestStatus.CLOSED})
OVERDUE_KINDS = ("accept", "resolve", "callback")

_S = RequestStatus


class TransitionRefused(ValueError):
    """The request cannot go from its status to the one asked."""


def reopen_window(session: Session) -> timedelta:
    """How long after a request was finished its resident may reopen it (global kiosk setting)."""
    days = settings_of(session, None).get(REOPEN_WINDOW_KEY, DEFAULT_REOPEN_WINDOW_DAYS)
    return timedelta(days=float(days))


def hazard_points(session: Session) -> int:
    return int(settings_of(session, None).get(HAZARD_POINTS_KEY, DEFAULT_HAZARD_POINTS))


def get_request(session: Session, tracking_no: str, *, lock: bool = False) -> ServiceRequest:
    """The request (row-locked on PostgreSQL when ``lock``); LookupError if unknown."""
    request = session.get(ServiceRequest, tracking_no, with_for_update=lock or None)
    if request is None:
        raise LookupError(f"unknown request {tracking_no}")
    return request


def _accept_within(urgency: str) -> timedelta:
    return ACCEPT_WITHIN_URGENT if urgency == "urgent" else ACCEPT_WITHIN


def start_timers(request: ServiceRequest, start: datetime) -> None:
    request.accept_due = start + _accept_within(request.urgency)
    request.resolve_due = start + RESOLVE_WITHIN


def new_request(
    session: Session, *, tracking_no: str, category: str, location: str, description: str,
    place_code: str = "", phrases: list[str] | None = None, urgency: str = "normal",
    resident_id: str | None = None, kiosk_id: str | None = None, operator_id: str | None = None,
    receipt_code: str = "", source: str = "kiosk", created_at: datetime, now: datetime,
    actor: str = "resident", publish_now: bool = True, **extra: object,
) -> ServiceRequest:
    """Insert a submitted request with its first event and timers (counted from ``created_at``,
    when the resident filed it, even if the kiosk was offline then)."""
    created_at = min(created_at, now)
    request = ServiceRequest(
        tracking_no=tracking_no, kiosk_id=kiosk_id, resident_id=resident_id, category=category,
        location=location[:200], description=description, status=_S.SUBMITTED.value, status_note="",
        created_at=created_at, updated_at=now, source=source, place_code=place_code, phrases=list(phrases or []),
        urgency=urgency, receipt_code=receipt_code, operator_id=operator_id, received_at=now,
        reopen_count=0, points_awarded=0, points_reason="", rating_reason="", callback_note="", **extra,
    )
    start_timers(request, created_at)
    session.add(request)
    session.add(ServiceRequestEvent(tracking_no=tracking_no, status=_S.SUBMITTED.value, note="", actor=actor,
                                    at=created_at))
    session.flush()
    if publish_now:
        publish(session, request, now)
    return request


def transition(
    session: Session, tracking_no: str, status: str, *, note: str = "", actor: str = "", now: datetime,
    operator_id: str | None = None, publish_now: bool = True,
) -> ServiceRequest:
    """Move a request to ``status`` along TRANSITIONS, keep the event, run the timers, award
    safety-hazard points on the first acceptance, and publish the new snapshot.

    Raises LookupError (unknown tracking number), ValueError (unknown status) and
    TransitionRefused (not allowed from the current status).
    """
    new = RequestStatus(status)
    request = get_request(session, tracking_no, lock=True)
    current = RequestStatus(request.status)
    if new not in TRANSITIONS[current]:
        raise TransitionRefused(f"{current.value} -> {new.value} is not allowed")
    _apply(session, request, new, note=note, actor=actor, now=now, operator_id=operator_id)
    if publish_now:
        publish(session, request, now)
    return request


def _apply(session: Session, request: ServiceRequest, new: RequestStatus, *, note: str, actor: str,
           now: datetime, operator_id: str | None = None) -> None:
    request.status = new.value
    request.status_note = note
    request.updated_at = now
    if new is _S.ACCEPTED:
        request.accepted_at = request.accepted_at or now
        _award_hazard_points(session, request, actor, operator_id, now)
    elif new in (_S.DISPATCHED, _S.IN_PROGRESS):
        request.accepted_at = request.accepted_at or now  # dispatching also takes the order
    elif new is _S.RESOLVED:
        request.resolved_at = now
    elif new is _S.CLOSED:
        request.closed_at = now
        request.callback_due = now + CALLBACK_WITHIN
        request.callback_at = None
    elif new is _S.REOPENED:
        request.reopen_count = (request.reopen_count or 0) + 1
        request.accepted_at = request.resolved_at = request.closed_at = request.callback_due = None
        request.callback_at = None
        request.rating, request.rating_reason, request.rated_at = None, "", None
        request.finished_at = None
        start_timers(request, now)
    if new in FINISHED:
        request.finished_at = now
    session.add(ServiceRequestEvent(tracking_no=request.tracking_no, status=new.value, note=note, actor=actor, at=now))
    session.flush()


def _award_hazard_points(session: Session, request: ServiceRequest, actor: str, operator_id: str | None,
                         now: datetime) -> None:
    """A confirmed (accepted) safety-hazard report earns its resident points once, in governance."""
    if request.points_awarded or not request.resident_id or not is_safety_hazard(session, request.category):
        return
    points = hazard_points(session)
    if points <= 0:
        return
    from server.ledger.movements import award

    award(session, request.resident_id, points, HAZARD_DIMENSION, f"{HAZARD_REASON}:{request.tracking_no}",
          "staff" if operator_id else "system", operator_id, key=f"request-hazard:{request.tracking_no}",
          rule="request_hazard", now=now)
    request.points_awarded = points
    request.points_reason = HAZARD_REASON


def _check_resident(request: ServiceRequest, resident_id: str | None) -> None:
    if request.resident_id is None or resident_id != request.resident_id:
        raise Rejected("request.not_yours", 403)


def rate(session: Session, tracking_no: str, stars: int, reason: str, *, resident_id: str | None,
         acted_at: datetime, now: datetime) -> dict[str, object]:
    """The resident's rating of a resolved (or closed) request.

    3 stars or more closes a resolved request; 2 or fewer needs a reason and reopens it while
    the reopen window lasts (after it, the rating is kept and the request stays as it is).
    Raises Rejected ``request.unknown``, ``request.not_yours`` (403), ``request.rating_invalid``,
    ``request.rating_needs_reason``, ``request.not_rateable`` (409), ``request.already_rated`` (409).
    """
    request = _known(session, tracking_no)
    _check_resident(request, resident_id)
    if not 1 <= stars <= 5:
        raise Rejected("request.rating_invalid", stars=stars)
    if stars <= LOW_RATING and not reason.strip():
        raise Rejected("request.rating_needs_reason")
    status = RequestStatus(request.status)
    if status not in RATEABLE:
        raise Rejected("request.not_rateable", 409, status=status.value)
    if request.rating is not None:
        raise Rejected("request.already_rated", 409)
    request.rating, request.rating_reason, request.rated_at = stars, reason.strip(), min(acted_at, now)
    reopened = False
    window_passed = False
    if stars <= LOW_RATING:
        if _within_window(session, request, acted_at, now):
            _apply(session, request, _S.REOPENED, note=reason.strip(), actor="resident", now=now)
            reopened = True
        else:
            window_passed = True
            request.updated_at = now
    elif status is _S.RESOLVED:
        _apply(session, request, _S.CLOSED, note="", actor="resident", now=now)
    else:
        request.updated_at = now
    session.flush()
    publish(session, request, now)
    return {"tracking_no": tracking_no, "status": request.status, "rating": stars, "reopened": reopened,
            "window_passed": window_passed}


def _within_window(session: Session, request: ServiceRequest, acted_at: datetime, now: datetime) -> bool:
    finished = request.finished_at or request.updated_at
    acted = max(min(acted_at, now), finished)  # the kiosk's clock, never in the future nor before
    return acted <= finished + reopen_window(session)


def reopen(session: Session, tracking_no: str, reason: str, *, resident_id: str | None, acted_at: datetime,
           now: datetime) -> dict[str, object]:
    """The resident reopens a resolved, closed or returned request within the window.

    Raises Rejected ``request.unknown``, ``request.not_yours`` (403), ``request.reason_missing``,
    ``request.not_reopenable`` (409), ``request.reopen_window_passed`` (409).
    """
    request = _known(session, tracking_no)
    _check_resident(request, resident_id)
    if not reason.strip():
        raise Rejected("request.reason_missing")
    if RequestStatus(request.status) not in FINISHED:
        raise Rejected("request.not_reopenable", 409, status=request.status)
    if not _within_window(session, request, acted_at, now):
        raise Rejected("request.reopen_window_passed", 409, days=reopen_window(session).days)
    _apply(session, request, _S.REOPENED, note=reason.strip(), actor="resident", now=now)
    publish(session, request, now)
    return {"tracking_no": tracking_no, "status": request.status}


def record_callback(session: Session, tracking_no: str, note: str, *, now: datetime) -> ServiceRequest:
    """Staff called the resident back after closing; TransitionRefused unless the request is closed."""
    request = get_request(session, tracking_no, lock=True)
    if request.status != _S.CLOSED.value:
        raise TransitionRefused(f"a call-back follows closing; the request is {request.status}")
    request.callback_at, request.callback_note, request.updated_at = now, note, now
    session.flush()
    return request


def _known(session: Session, tracking_no: str) -> ServiceRequest:
    request = session.get(ServiceRequest, tracking_no, with_for_update=True)
    if request is None:
        raise Rejected("request.unknown", 404, tracking_no=tracking_no)
    return request


def overdue_flags(request: ServiceRequest, now: datetime) -> tuple[str, ...]:
    """Which SLA deadlines were missed: accept, resolve, callback (in that order)."""

    def missed(due: datetime | None, done: datetime | None) -> bool:
        if due is None:
            return False
        return done > due if done is not None else now > due

    status = RequestStatus(request.status)
    flags = []
    if status is not _S.RETURNED and missed(request.accept_due, request.accepted_at):
        flags.append("accept")
    if status is not _S.RETURNED and missed(request.resolve_due, request.resolved_at):
        flags.append("resolve")
    if request.callback_due is not None and missed(request.callback_due, request.callback_at):
        flags.append("callback")
    return tuple(flags)


def actor_kind(actor: str) -> str:
    if actor in ("resident", "system"):
        return actor
    return "staff"


def events_of(session: Session, tracking_no: str) -> list[ServiceRequestEvent]:
    return list(session.scalars(select(ServiceRequestEvent).where(ServiceRequestEvent.tracking_no == tracking_no)
                                .order_by(ServiceRequestEvent.id)))


def snapshot(session: Session, request: ServiceRequest) -> RequestSnapshot:
    """What kiosks may know about the request (no free text of the resident, no media bytes)."""
    from server.requests.media import result_photo_sha

    events = events_of(session, request.tracking_no)
    staff_notes = [e.note for e in events if e.note and actor_kind(e.actor) == "staff"]
    reopen_until = (request.finished_at + reopen_window(session)) if request.finished_at else None
    return RequestSnapshot(
        tracking_no=request.tracking_no, status=request.status, note=request.status_note or "",
        updated_at=request.updated_at, created_at=request.created_at, resident_id=request.resident_id,
        category=request.category, place_code=request.place_code or "", place_text=request.location or "",
        urgency=request.urgency or "normal",
        events=[RequestEventData(status=e.status, at=e.at, note=e.note or "", actor=actor_kind(e.actor))
                for e in events],
        handler_note=staff_notes[-1] if staff_notes else "", result_photo=result_photo_sha(session, request.tracking_no),
        rating=request.rating, points_awarded=request.points_awarded or 0, points_reason=request.points_reason or "",
        finished_at=request.finished_at, reopen_until=reopen_until,
    )


def audiences(session: Session, request: ServiceRequest) -> list[str]:
    """The kiosk that filed the request, then the active kiosks of the resident's community."""
    kiosks: list[str] = [request.kiosk_id] if request.kiosk_id else []
    if request.resident_id:
        community = session.scalar(select(Resident.community_id).where(Resident.id == request.resident_id))
        if community:
            kiosks += [k for k in session.scalars(
                select(Kiosk.id).where(Kiosk.community_id == community, Kiosk.revoked_at.is_(None)).order_by(Kiosk.id)
            ) if k not in kiosks]
    return kiosks


def publish(session: Session, request: ServiceRequest, now: datetime) -> None:
    """REQUEST_STATUS changes with the request's snapshot for each audience kiosk."""
    session.flush()
    data = snapshot(session, request).model_dump(mode="json")
    for kiosk_id in audiences(session, request):
        record_change(session, ChangeKind.REQUEST_STATUS, request.tracking_no, data, audience_kiosk_id=kiosk_id)
