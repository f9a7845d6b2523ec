"""Applying pulled request changes (called by kiosk.sync.pull inside the page's write transaction):
REQUEST_STATUS snapshots update (or create) the local request, REQUEST_PHOTO stores a result photo."""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import Change, RecordKind, RequestSnapshot
from kiosk.requests.models import FiledRequest, RequestMedia, RequestOutboxLink
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import PENDING, OutboxRow

log = logging.getLogger(__name__)


def _pending(session: Session, tracking_no: str, kind: RecordKind) -> bool:
    return session.scalar(
        select(RequestOutboxLink.outbox_key).join(OutboxRow, OutboxRow.key == RequestOutboxLink.outbox_key)
        .where(RequestOutboxLink.tracking_no == tracking_no, RequestOutboxLink.kind == kind.value,
               OutboxRow.state == PENDING).limit(1)
    ) is not None


def apply_status_change(session: Session, change: Change, as_of: datetime) -> None:
    """Take the server's snapshot of a request; a request filed at another kiosk is added.

    A rating or reopening still waiting in this kiosk's outbox is kept (the snapshot predates it).
    """
    try:
        snap = RequestSnapshot.model_validate(change.data)
    except ValidationError:
        row = session.get(FiledRequest, str(change.data.get("tracking_no") or change.key))
        if row is not None and change.data.get("status"):  # an older, shorter change: status only
            row.status = str(change.data["status"])
            row.server_seen = True
        else:
            log.warning("request change %s could not be read; skipped", change.seq)
        return
    row = session.get(FiledRequest, snap.tracking_no)
    if row is None:
        row = FiledRequest(
            tracking_no=snap.tracking_no, origin="remote", resident_id=snap.resident_id, category=snap.category,
            place_code=snap.place_code, place_text=snap.place_text, phrases=[], text="", urgency=snap.urgency,
            receipt_code="", created_at=snap.created_at, rating_reason="",
        )
        session.add(row)
    row.status = snap.status
    row.status_at = snap.updated_at
    row.events = [e.model_dump(mode="json") for e in snap.events]
    row.handler_note = snap.handler_note
    row.result_photo_sha = snap.result_photo
    row.points_awarded = snap.points_awarded
    row.points_reason = snap.points_reason
    row.finished_at = snap.finished_at
    row.reopen_until = snap.reopen_until
    row.server_seen = True
    if snap.place_text and row.origin == "remote":
        row.place_text = snap.place_text
    if not _pending(session, snap.tracking_no, RecordKind.REQUEST_RATE):
        row.rating = snap.rating
        if snap.rating is None:
            row.rating_reason, row.rated_at = "", None
    if not (_pending(session, snap.tracking_no, RecordKind.REQUEST_REOPEN)
            or _pending(session, snap.tracking_no, RecordKind.REQUEST_RATE)):
        row.reopen_requested_at = None


def apply_photo_change(session: Session, change: Change, as_of: datetime) -> None:
    """Keep the handler's result photo (base64 JPEG) under its request."""
    data = change.data
    try:
        raw = base64.b64decode(str(data["data"]), validate=True)
        tracking_no, sha = str(data["tracking_no"]), str(data["sha256"])
    except (KeyError, binascii.Error, ValueError):
        log.warning("request photo change %s could not be read; skipped", change.seq)
        return
    exists = session.scalar(select(RequestMedia.id).where(RequestMedia.tracking_no == tracking_no,
                                                          RequestMedia.sha256 == sha))
    if exists is not None:
        return
    # The change names the kept photo's sha256; the bytes here are its downsized copy.
    session.add(RequestMedia(tracking_no=tracking_no, sha256=sha, kind="result", mime=str(data.get("mime", "image/jpeg")),
                             size=len(raw), duration_s=None, data=raw, created_at=utc_now()))
