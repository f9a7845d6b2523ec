"""Push handlers of the request record kinds (importing registers them):
request.file, request.media, request.rate, request.reopen."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import (
    RecordKind, RequestFile, RequestMediaChunk, RequestRate, RequestReopen, valid_tracking_number,
)
from server.db import utc_now
from server.handlers import Rejected, RecordContext, registry
from server.models import ServiceRequest
from server.requests import media, workflow
from server.requests.catalog import place_path


def _parse(model: type, payload: dict[str, Any]) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Rejected("request.invalid", fields=[".".join(map(str, e["loc"])) for e in exc.errors()]) from exc


def _description(msg: RequestFile, session: Session) -> str:
    """The report in words for the office: the tapped phrases (zh) and the typed text."""
    from server.models.service_requests import RequestCategory

    cat = session.get(RequestCategory, msg.category)
    names = {p["code"]: p["zh"] for p in (cat.phrases if cat else [])}
    said = [names.get(code, code) for code in msg.phrases]
    return "；".join([*said, msg.text.strip()] if msg.text.strip() else said)


@registry.register(RecordKind.REQUEST_FILE.value)
def handle_request_file(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Create the request the kiosk filed (its tracking number, made offline, is kept).

    The same tracking number from the same kiosk again answers as before (nothing changes);
    from another kiosk it is refused ``request.tracking_taken`` (409). An unknown category or
    place is kept as sent: a report is never refused for a catalog that changed meanwhile.
    Result: ``{tracking_no, status}``.
    """
    msg: RequestFile = _parse(RequestFile, payload)
    if not valid_tracking_number(msg.tracking_no):
        raise Rejected("request.tracking_invalid", tracking_no=msg.tracking_no)
    existing = session.get(ServiceRequest, msg.tracking_no)
    if existing is not None:
        if existing.kiosk_id != ctx.kiosk_id:
            raise Rejected("request.tracking_taken", 409, tracking_no=msg.tracking_no)
        return {"tracking_no": existing.tracking_no, "status": existing.status}
    now = utc_now()
    location = place_path(session, msg.place_code) or msg.place_text
    request = workflow.new_request(
        session, tracking_no=msg.tracking_no, category=msg.category, location=location,
        description=_description(msg, session), place_code=msg.place_code, phrases=msg.phrases,
        urgency=msg.urgency, resident_id=msg.resident_id, kiosk_id=ctx.kiosk_id, operator_id=ctx.operator_id,
        receipt_code=msg.receipt_code, source="kiosk", created_at=ctx.created_at, now=now,
        actor="staff" if ctx.operator_id else "resident", publish_now=False,
    )
    media.expect_media(session, msg.tracking_no, msg.media, now)
    workflow.publish(session, request, now)
    return {"tracking_no": request.tracking_no, "status": request.status}


@registry.register(RecordKind.REQUEST_MEDIA.value)
def handle_request_media(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Store one piece of a photo / voice note. Result: ``{tracking_no, sha256, received, count, complete}``."""
    msg: RequestMediaChunk = _parse(RequestMediaChunk, payload)
    request = session.get(ServiceRequest, msg.tracking_no)
    if request is None or request.kiosk_id != ctx.kiosk_id:
        raise Rejected("request.unknown", 404, tracking_no=msg.tracking_no)
    return media.receive_chunk(session, msg, utc_now())


@registry.register(RecordKind.REQUEST_RATE.value)
def handle_request_rate(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """The resident's stars. Result: ``{tracking_no, status, rating, reopened, window_passed}``."""
    msg: RequestRate = _parse(RequestRate, payload)
    return workflow.rate(session, msg.tracking_no, msg.stars, msg.reason, resident_id=msg.resident_id,
                         acted_at=ctx.created_at, now=utc_now())


@registry.register(RecordKind.REQUEST_REOPEN.value)
def handle_request_reopen(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """The resident reopens within the window. Result: ``{tracking_no, status}``."""
    msg: RequestReopen = _parse(RequestReopen, payload)
    return workflow.reopen(session, msg.tracking_no, msg.reason, resident_id=msg.resident_id,
                           acted_at=ctx.created_at, now=utc_now())
