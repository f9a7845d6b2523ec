"""Signing keys (creation, rotation), identity token issue and revocation, published to kiosks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, TokenClaims, TokenRole
from server.changes import record_change
from server.models import IssuedToken, Resident, RevokedToken, SigningKey, Staff
from server.tokens import new_signing_key, new_token_id, public_key_data, sign_token

DEFAULT_TOKEN_DAYS = 365
MAX_TOKEN_DAYS = 5 * 365


def _publish_key(session: Session, key: SigningKey) -> None:
    not_after = int(key.not_after.timestamp()) if key.not_after is not None else None
    record_change(session, ChangeKind.PUBLIC_KEY, key.kid, public_key_data(key.kid, key.public_key, not_after))


def active_key(session: Session) -> SigningKey | None:
    """The key that signs new tokens (newest non-retired)."""
    return session.scalars(
        select(SigningKey).where(SigningKey.retired.is_(False)).order_by(SigningKey.created_at.desc()).limit(1)
    ).first()


def create_signing_key(session: Session, *, now: datetime) -> SigningKey:
    """A new signing key, published in the feed (does not retire the others)."""
    kid, private_raw, public_raw = new_signing_key()
    key = SigningKey(kid=kid, private_key=private_raw, public_key=public_raw, created_at=now, retired=False)
    session.add(key)
    session.flush()
    _publish_key(session, key)
    return key


def rotate_keys(session: Session, *, now: datetime, grace_days: int = MAX_TOKEN_DAYS) -> SigningKey:
    """Create a new signing key and retire the old ones: they sign nothing new and stay valid
    until ``not_after`` (now + ``grace_days`` unless already set), long enough for their tokens.
    """
    for old in session.scalars(select(SigningKey).where(SigningKey.retired.is_(False)).with_for_update()):
        old.retired = True
        if old.not_after is None:
            old.not_after = now + timedelta(days=grace_days)
        _publish_key(session, old)
    return create_signing_key(session, now=now)


def subject_role(session: Session, subject: str) -> TokenRole:
    """The token role of a resident or staff id; LookupError if there is no such person."""
    if session.get(Resident, subject) is not None:
        return TokenRole.RESIDENT
    staff = session.get(Staff, subject)
    if staff is not None:
        return TokenRole.TECHNICIAN if staff.role == "technician" else TokenRole.STAFF
    raise LookupError(f"no resident or staff member {subject}")


def issue_identity_token(session: Session, subject: str, *, days: int, now: datetime) -> tuple[str, IssuedToken]:
    """A signed QR payload for ``subject`` valid ``days`` days, and its audit row.

    Raises LookupError (unknown subject, no signing key), ValueError (days out of 1..MAX_TOKEN_DAYS).
    """
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(f"days must be within 1..{MAX_TOKEN_DAYS}")
    role = subject_role(session, subject)
    key = active_key(session)
    if key is None:
        raise LookupError("no signing key: run `kiosk-server key rotate` first")
    issued = int(now.timestamp())
    claims = TokenClaims(key_id=key.kid, role=role, subject=subject, issued_at=issued,
                         expires_at=issued + days * 86400, token_id=new_token_id())
    payload = sign_token(key.private_key, claims)
    row = IssuedToken(token_id=claims.token_id, kid=key.kid, role=role.value, subject=subject,
                      issued_at=claims.issued_at, expires_at=claims.expires_at)
    session.add(row)
    return payload, row


def revoke_token(session: Session, token_id: str, *, now: datetime) -> bool:
    """Put ``token_id`` on the deny-list kiosks pull; False when it already was there."""
    token_id = token_id.strip().upper()
    if session.get(RevokedToken, token_id) is not None:
        return False
    session.add(RevokedToken(token_id=token_id, revoked_at=now))
    record_change(session, ChangeKind.REVOKED_TOKEN, token_id, {"token_id": token_id})
    return True
