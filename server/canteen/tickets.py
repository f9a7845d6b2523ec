"""Signed meal tickets and activity codes on the server: sign with the active key, verify any known key.

A ticket booked online is signed with the server's active signing key (the kiosks already trust
it for identity QR codes; the ``KC1`` prefix keeps the two apart). A ticket booked offline is
signed by the booking kiosk's own ticket key, registered here while it was online and published
to every kiosk as a TICKET_KEY change; such a key can sign tickets only, never identities.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import (
    ActivityClaims,
    ChangeKind,
    TicketClaims,
    TicketKeyAnswer,
    TicketKeyRequest,
    activity_code_text,
    parse_activity_code,
    parse_ticket,
    ticket_text,
)
from server.canteen.models import TicketKey
from server.changes import record_change
from server.handlers import Rejected
from server.identity_admin import active_key
from server.models import SigningKey
from server.tokens import new_token_id


@dataclass(frozen=True)
class Verified:
    claims: Any  # TicketClaims or ActivityClaims
    by_kiosk: str | None  # the kiosk whose ticket key signed it; None for a server key


def _server_key(session: Session, kid: str) -> bytes | None:
    key = session.get(SigningKey, kid)
    return key.public_key if key is not None else None


def _verify(public_raw: bytes, signature: bytes, signing_input: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, signing_input)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_ticket(session: Session, *, booking_id: str, menu_id: int, day: date, meal: str, counter_no: int,
                beneficiary_id: str, now: datetime) -> str:
    """A ticket signed with the server's active key; LookupError when there is none."""
    key = active_key(session)
    if key is None:
        raise LookupError("no signing key: run `kiosk-server key rotate` first")
    claims = TicketClaims(key.kid, booking_id, menu_id, day, meal, counter_no, beneficiary_id, int(now.timestamp()))
    private = Ed25519PrivateKey.from_private_bytes(key.private_key)
    return ticket_text(claims, private.sign(claims.signing_input()))


def verify_ticket(session: Session, payload: str) -> Verified | None:
    """The ticket's claims when a server key or a registered kiosk ticket key signed it, else None."""
    try:
        claims, signing_input, signature = parse_ticket(payload)
    except ValueError:
        return None
    if claims.key_id.startswith("T-"):
        row = session.get(TicketKey, claims.key_id)
        if row is None or row.revoked_at is not None or not _verify(row.public_key, signature, signing_input):
            return None
        return Verified(claims, row.kiosk_id)
    public = _server_key(session, claims.key_id)
    if public is None or not _verify(public, signature, signing_input):
        return None
    return Verified(claims, None)


def register_ticket_key(session: Session, kiosk_id: str, request: TicketKeyRequest, now: datetime) -> TicketKeyAnswer:
    """Accept a kiosk's offline ticket key (once; the same key again answers the same) and publish it.

    Raises Rejected ``canteen.ticket_key_invalid`` (not 32 bytes) or ``canteen.ticket_key_taken`` (409).
    """
    try:
        public_raw = base64.b64decode(request.public_key, validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw)
    except ValueError:
        raise Rejected("canteen.ticket_key_invalid") from None
    row = session.get(TicketKey, request.kid)
    if row is not None:
        if row.kiosk_id != kiosk_id or row.public_key != public_raw:
            raise Rejected("canteen.ticket_key_taken", 409)
        return TicketKeyAnswer(kid=row.kid, kiosk_id=kiosk_id)
    session.add(TicketKey(kid=request.kid, kiosk_id=kiosk_id, public_key=public_raw, created_at=now))
    session.flush()
    record_change(session, ChangeKind.TICKET_KEY, request.kid, {
        "kid": request.kid, "public_key": request.public_key, "kiosk_id": kiosk_id, "not_after": None,
    })
    return TicketKeyAnswer(kid=request.kid, kiosk_id=kiosk_id)


def revoke_ticket_keys(session: Session, kiosk_id: str, now: datetime) -> int:
    """Stop trusting every ticket key of a kiosk (a stolen kiosk); returns how many."""
    rows = session.scalars(select(TicketKey).where(TicketKey.kiosk_id == kiosk_id, TicketKey.revoked_at.is_(None)))
    count = 0
    for row in rows:
        row.revoked_at = now
        record_change(session, ChangeKind.TICKET_KEY, row.kid, {
            "kid": row.kid, "public_key": base64.b64encode(row.public_key).decode("ascii"), "kiosk_id": kiosk_id,
            "not_after": int(now.timestamp()),
        })
        count += 1
    return count


def sign_activity_code(session: Session, activity_id: str, points: int, *, days: int, now: datetime) -> str:
    """A check-in QR payload for an activity, valid ``days`` days; LookupError without a signing key."""
    key = active_key(session)
    if key is None:
        raise LookupError("no signing key: run `kiosk-server key rotate` first")
    claims = ActivityClaims(key.kid, activity_id, int(points), int(now.timestamp()) + days * 86400, new_token_id())
    private = Ed25519PrivateKey.from_private_bytes(key.private_key)
    return activity_code_text(claims, private.sign(claims.signing_input()))


def verify_activity_code(session: Session, payload: str, now: datetime | None = None) -> ActivityClaims:
    """The claims of a server-signed check-in code; Rejected ``points.checkin_invalid`` / ``points.checkin_expired``."""
    try:
        claims, signing_input, signature = parse_activity_code(payload)
    except ValueError:
        raise Rejected("points.checkin_invalid") from None
    public = _server_key(session, claims.key_id)
    if public is None or not _verify(public, signature, signing_input):
        raise Rejected("points.checkin_invalid")
    at = int(now.timestamp()) if now is not None else int(time.time())
    if at >= claims.expires_at:
        raise Rejected("points.checkin_expired")
    return claims
