"""Photos and voice notes filed with a request: checked, stored with it, and cut into the pieces
that go to the server as ``request.media`` outbox records.

A piece is at most MEDIA_CHUNK_BYTES (32 KiB) of raw bytes, so the relay's push of up to 200
records stays under ~10 MB whatever the media; each piece is its own record with its own
idempotency key, committed in the filing transaction, so nothing is lost and nothing applies
twice. The server assembles the file when the last piece arrives and checks its sha256.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from kiosk.protocol import MAX_PHOTO_BYTES, MAX_VOICE_BYTES, MAX_VOICE_S, MEDIA_CHUNK_BYTES, MediaRef, RequestMediaChunk
from kiosk.requests import errors

JPEG_MAGIC = b"\xff\xd8\xff"
VOICE_MIMES = ("audio/wav", "audio/x-wav", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/webm", "audio/aac")


@dataclass(frozen=True)
class MediaFile:
    kind: str  # photo | voice
    mime: str
    data: bytes
    duration_s: float | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def ref(self) -> MediaRef:
        return MediaRef(sha256=self.sha256, kind=self.kind, mime=self.mime, size=len(self.data),
                        duration_s=self.duration_s)


def photo_file(jpeg: bytes) -> MediaFile:
    """A checked JPEG photo; RequestError ``requests.photo_invalid`` / ``requests.photo_too_large``."""
    if not jpeg or not jpeg.startswith(JPEG_MAGIC):
        raise errors.RequestError(errors.PHOTO_INVALID)
    if len(jpeg) > MAX_PHOTO_BYTES:
        raise errors.RequestError(errors.PHOTO_TOO_LARGE, max_mb=MAX_PHOTO_BYTES // (1024 * 1024))
    return MediaFile("photo", "image/jpeg", jpeg)


def voice_file(data: bytes, mime: str | None, duration_s: float | None) -> MediaFile:
    """A checked voice note (<= 60 s, <= 4 MB, a known audio type)."""
    if not data or not mime or mime.split(";")[0].strip().lower() not in VOICE_MIMES:
        raise errors.RequestError(errors.VOICE_INVALID)
    if duration_s is None or duration_s <= 0:
        raise errors.RequestError(errors.VOICE_INVALID)
    if duration_s > MAX_VOICE_S:
        raise errors.RequestError(errors.VOICE_TOO_LONG, max_s=int(MAX_VOICE_S))
    if len(data) > MAX_VOICE_BYTES:
        raise errors.RequestError(errors.VOICE_TOO_LARGE, max_mb=MAX_VOICE_BYTES // (1024 * 1024))
    return MediaFile("voice", mime.split(";")[0].strip().lower(), data, round(float(duration_s), 2))


def chunks(tracking_no: str, media: MediaFile) -> list[RequestMediaChunk]:
    """The ``request.media`` payloads of one file, in order."""
    pieces = [media.data[i:i + MEDIA_CHUNK_BYTES] for i in range(0, len(media.data), MEDIA_CHUNK_BYTES)] or [b""]
    sha = media.sha256
    return [RequestMediaChunk(tracking_no=tracking_no, sha256=sha, index=i, count=len(pieces),
                              data=base64.b64encode(piece).decode("ascii")) for i, piece in enumerate(pieces)]
