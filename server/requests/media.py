"""Photos and voice notes of requests: chunks pushed by kiosks assembled and checked by sha256,
and the handler's result photo (kept whole, and sent to kiosks downsized in a REQUEST_PHOTO change).

Why chunks in outbox records: a kiosk's push carries up to 200 records and media may be a few
MB; one record per 32 KiB piece keeps every push under ~10 MB while the outbox still gives order,
retries with the same key and exactly-once. A piece that arrives twice (another key, same
content) is stored once; the file is assembled when the last piece arrives.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.protocol import MEDIA_CHUNK_BYTES, ChangeKind, MediaRef, RequestMediaChunk
from server.changes import record_change
from server.handlers import Rejected
from server.models.service_requests import ServiceRequest, ServiceRequestMedia, ServiceRequestMediaChunk

RESULT_MAX_PX = 1600
FEED_MAX_PX = 640
FEED_MAX_BYTES = 48 * 1024  # keeps a page of 500 changes of the feed within the kiosk's body limit
MAX_RESULT_INPUT_BYTES = 20 * 1024 * 1024


def chunk_count(size: int) -> int:
    return max(1, -(-size // MEDIA_CHUNK_BYTES))


def expect_media(session: Session, tracking_no: str, refs: list[MediaRef], now: datetime) -> None:
    """Rows for the media a filed request announced (filled as their chunks arrive)."""
    for ref in refs:
        exists = session.scalar(select(ServiceRequestMedia.id).where(
            ServiceRequestMedia.tracking_no == tracking_no, ServiceRequestMedia.sha256 == ref.sha256))
        if exists is None:
            session.add(ServiceRequestMedia(
                tracking_no=tracking_no, sha256=ref.sha256, kind=ref.kind, mime=ref.mime, size=ref.size,
                duration_s=ref.duration_s, chunk_count=chunk_count(ref.size), created_at=now,
            ))
    session.flush()


def receive_chunk(session: Session, chunk: RequestMediaChunk, now: datetime) -> dict[str, object]:
    """Store one piece; assemble and verify the file when it was the last one.

    Raises Rejected ``request.media_unknown`` (404: not announced by the request),
    ``request.media_chunk_invalid`` (bad index, count or base64) and ``request.media_corrupt``
    (the assembled bytes do not match the announced sha256 or size).
    """
    media = session.scalars(select(ServiceRequestMedia).where(
        ServiceRequestMedia.tracking_no == chunk.tracking_no, ServiceRequestMedia.sha256 == chunk.sha256
    ).with_for_update()).first()
    if media is None:
        raise Rejected("request.media_unknown", 404, tracking_no=chunk.tracking_no)
    if media.data is not None:
        return _progress(media, media.chunk_count)
    if chunk.count != media.chunk_count or not 0 <= chunk.index < media.chunk_count:
        raise Rejected("request.media_chunk_invalid", index=chunk.index, count=chunk.count)
    try:
        raw = base64.b64decode(chunk.data, validate=True)
    except (binascii.Error, ValueError):
        raise Rejected("request.media_chunk_invalid", index=chunk.index, count=chunk.count) from None
    if session.get(ServiceRequestMediaChunk, (media.id, chunk.index)) is None:
        session.add(ServiceRequestMediaChunk(media_id=media.id, index=chunk.index, data=raw))
        session.flush()
    received = session.scalar(select(func.count()).select_from(ServiceRequestMediaChunk)
                              .where(ServiceRequestMediaChunk.media_id == media.id)) or 0
    if received == media.chunk_count:
        pieces = session.scalars(select(ServiceRequestMediaChunk.data).where(ServiceRequestMediaChunk.media_id == media.id)
                                 .order_by(ServiceRequestMediaChunk.index)).all()
        whole = b"".join(pieces)
        if len(whole) != media.size or hashlib.sha256(whole).hexdigest() != media.sha256:
            raise Rejected("request.media_corrupt", sha256=media.sha256)
        media.data, media.complete_at = whole, now
        session.execute(delete(ServiceRequestMediaChunk).where(ServiceRequestMediaChunk.media_id == media.id))
        session.flush()
    return _progress(media, received)


def _progress(media: ServiceRequestMedia, received: int) -> dict[str, object]:
    return {"tracking_no": media.tracking_no, "sha256": media.sha256, "received": received,
            "count": media.chunk_count, "complete": media.data is not None}


def _jpeg(image, max_px: int, quality: int) -> bytes:  # noqa: ANN001
    copy = image.copy()
    copy.thumbnail((max_px, max_px))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def normalise_photo(data: bytes) -> tuple[bytes, bytes]:
    """(kept JPEG <= RESULT_MAX_PX, feed JPEG <= FEED_MAX_PX and <= FEED_MAX_BYTES) from any image.

    Raises ValueError when ``data`` is not an image Pillow can read or is too large.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_RESULT_INPUT_BYTES:
        raise ValueError("the photo is larger than 20 MB")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("the photo is not an image") from exc
    kept = _jpeg(image, RESULT_MAX_PX, 85)
    for max_px, quality in ((FEED_MAX_PX, 70), (FEED_MAX_PX, 50), (480, 45), (320, 40)):
        feed = _jpeg(image, max_px, quality)
        if len(feed) <= FEED_MAX_BYTES:
            break
    return kept, feed


def add_result_photo(session: Session, request: ServiceRequest, photo: tuple[bytes, bytes], now: datetime,
                     audiences: list[str]) -> str:
    """Keep the handler's result photo (``normalise_photo``'s pair) and send its downsized copy to
    ``audiences``; returns its sha256."""
    kept, feed = photo
    sha = hashlib.sha256(kept).hexdigest()
    row = session.scalars(select(ServiceRequestMedia).where(
        ServiceRequestMedia.tracking_no == request.tracking_no, ServiceRequestMedia.sha256 == sha)).first()
    if row is None:
        session.add(ServiceRequestMedia(tracking_no=request.tracking_no, sha256=sha, kind="result", mime="image/jpeg",
                                        size=len(kept), chunk_count=1, data=kept, created_at=now, complete_at=now))
        session.flush()
    change = {"tracking_no": request.tracking_no, "sha256": sha, "mime": "image/jpeg",
              "data": base64.b64encode(feed).decode("ascii")}
    for kiosk_id in audiences:
        record_change(session, ChangeKind.REQUEST_PHOTO, sha, change, audience_kiosk_id=kiosk_id)
    return sha


def result_photo_sha(session: Session, tracking_no: str) -> str | None:
    """The newest result photo's sha256, if the handler added one."""
    return session.scalar(select(ServiceRequestMedia.sha256).where(
        ServiceRequestMedia.tracking_no == tracking_no, ServiceRequestMedia.kind == "result")
        .order_by(ServiceRequestMedia.id.desc()).limit(1))


def media_of(session: Session, tracking_no: str) -> list[ServiceRequestMedia]:
    return list(session.scalars(select(ServiceRequestMedia).where(ServiceRequestMedia.tracking_no == tracking_no)
                                .order_by(ServiceRequestMedia.id)))
