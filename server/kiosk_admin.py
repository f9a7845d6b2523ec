"""Kiosk enrollment (one-time codes), request authentication, listing and revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.protocol import AUTH_SCHEME, ChangeKind, EnrollRequest, EnrollResponse
from server.changes import record_change
from server.errors import ApiError
from server.models import Community, EnrollmentCode, Kiosk

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed by a technician
CODE_LENGTH = 10
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_code(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def new_enrollment_code(session: Session, community_id: str, *, ttl_hours: float, now: datetime) -> str:
    """Create a one-time code for a kiosk of ``community_id``; returns it (only its hash is kept).

    Raises LookupError for an unknown community, ValueError for a non-positive ttl.
    """
    if ttl_hours <= 0:
        raise ValueError("ttl must be positive")
    if session.get(Community, community_id) is None:
        raise LookupError(f"unknown community {community_id}")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(EnrollmentCode(
        code_hash=sha256_hex(raw), community_id=community_id, created_at=now,
        expires_at=now + timedelta(hours=ttl_hours),
    ))
    return f"{raw[:5]}-{raw[5:]}"


def enroll(session: Session, request: EnrollRequest, *, now: datetime) -> EnrollResponse:
    """Spend a one-time code and create a kiosk with a fresh random secret.

    Raises ApiError 403 ``enroll.bad_code`` / ``enroll.code_used`` / ``enroll.code_expired``.
    """
    code_hash = sha256_hex(normalize_code(request.code))
    kiosk_id = "K-" + secrets.token_hex(4).upper()
    claimed = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == code_hash, EnrollmentCode.used_at.is_(None))
        .where(EnrollmentCode.expires_at > now)
        .values(used_at=now, kiosk_id=kiosk_id)
    ).rowcount
    if claimed != 1:
        row = session.get(EnrollmentCode, code_hash)
        if row is None:
            raise ApiError(403, "enroll.bad_code")
        raise ApiError(403, "enroll.code_used" if row.used_at is not None else "enroll.code_expired")
    row = session.get(EnrollmentCode, code_hash)
    secret = secrets.token_urlsafe(32)
    session.add(Kiosk(
        id=kiosk_id, name=request.kiosk_name, community_id=row.community_id, secret_hash=sha256_hex(secret),
        install_id=request.install_id, version=request.version, enrolled_at=now, last_seen=now,
    ))
    return EnrollResponse(kiosk_id=kiosk_id, secret=secret, community_id=row.community_id, server_time=now)


def parse_auth(header: str | None) -> tuple[str, str]:
    """(kiosk_id, secret) from an Authorization header; ApiError 401 ``auth.unknown_kiosk`` if malformed."""
    if not header:
        raise ApiError(401, "auth.unknown_kiosk")
    scheme, _, cred = header.partition(" ")
    kiosk_id, sep, secret = cred.strip().partition(":")
    if scheme != AUTH_SCHEME or not sep or not kiosk_id or not secret:
        raise ApiError(401, "auth.unknown_kiosk")
    return kiosk_id, secret


def authenticate(session: Session, header: str | None, *, now: datetime) -> tuple[Kiosk, bool]:
    """The kiosk a request comes from, and whether its last_seen is due an update.

    Raises ApiError 401 ``auth.unknown_kiosk`` (missing, unknown, wrong secret) or 403
    ``auth.revoked``.
    """
    kiosk_id, secret = parse_auth(header)
    kiosk = session.get(Kiosk, kiosk_id)
    presented = sha256_hex(secret)
    expected = kiosk.secret_hash if kiosk is not None else sha256_hex("no such kiosk")
    if not hmac.compare_digest(presented, expected) or kiosk is None:
        raise ApiError(401, "auth.unknown_kiosk")
    if kiosk.revoked_at is not None:
        raise ApiError(403, "auth.revoked")
    stale = kiosk.last_seen is None or now - kiosk.last_seen >= LAST_SEEN_RESOLUTION
    return kiosk, stale


def touch(session: Session, kiosk_id: str, now: datetime) -> None:
    session.execute(update(Kiosk).where(Kiosk.id == kiosk_id).values(last_seen=now))


def list_kiosks(session: Session) -> list[Kiosk]:
    return list(session.scalars(select(Kiosk).order_by(Kiosk.enrolled_at, Kiosk.id)))


def revoke_kiosk(session: Session, kiosk_id: str, *, now: datetime) -> None:
    """Refuse every later request of ``kiosk_id`` (403) and tell it in its feed; LookupError if unknown."""
    kiosk = session.get(Kiosk, kiosk_id, with_for_update=True)
    if kiosk is None:
        raise LookupError(f"unknown kiosk {kiosk_id}")
    if kiosk.revoked_at is None:
        kiosk.revoked_at = now
        record_change(session, ChangeKind.KIOSK_STATUS, kiosk_id, {"revoked": True}, audience_kiosk_id=kiosk_id)
