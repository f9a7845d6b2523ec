"""Wire schemas of the kiosk <-> community server API (v1), shared by both sides.

Pure data: pydantic models, constants and the identity-token text format. The server imports
this module and nothing else from ``kiosk``; it must stay free of Qt, storage and I/O.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
MAX_PUSH_RECORDS = 500
MAX_CHANGES_PAGE = 1000
POINTS_PER_YUAN = 10


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- errors -------------------------------------------------------------------------------------


class ErrorBody(WireModel):
    """A failure the kiosk can translate: ``code`` is a message key (``points.insufficient``)."""

    code: str
    detail: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(WireModel):
    error: ErrorBody


# --- health and enrollment ----------------------------------------------------------------------


class HealthResponse(WireModel):
    status: str = "ok"
    version: str
    protocol: int = PROTOCOL_VERSION
    server_time: datetime


class EnrollRequest(WireModel):
    code: str = Field(min_length=4, max_length=64)
    kiosk_name: str = Field(max_length=100)
    install_id: str = Field(max_length=64)
    version: str = Field(max_length=32)


class EnrollResponse(WireModel):
    kiosk_id: str
    secret: str
    community_id: str
    server_time: datetime


AUTH_SCHEME = "Bearer"


def auth_header(kiosk_id: str, secret: str) -> dict[str, str]:
    """The header every authenticated request carries (over verified TLS in production)."""
    return {"Authorization": f"{AUTH_SCHEME} {kiosk_id}:{secret}"}


# --- push: the outbox ---------------------------------------------------------------------------


class RecordKind(StrEnum):
    """What an outbox record asks the server to do; later issues add their kinds here."""

    POINTS_SPEND = "points.spend"
    RESERVE_RELEASE = "reserve.release"


class OutboxRecord(WireModel):
    key: UUID  # idempotency key, generated once on the kiosk when the action commits
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    operator_id: str | None = None  # staff id when staff acted on the resident's behalf


class PushRequest(WireModel):
    records: list[OutboxRecord] = Field(max_length=MAX_PUSH_RECORDS)


class Outcome(StrEnum):
    APPLIED = "applied"  # first time: the effect committed with this answer
    REPLAYED = "replayed"  # seen before with the same payload: the stored answer again
    REJECTED = "rejected"  # a 4xx that will never succeed: the kiosk dead-letters it
    CONFLICT = "conflict"  # the same key with a different payload (422): dead-letter too
    RETRY = "retry"  # in flight elsewhere (409) or a transient failure: send again later


class RecordResult(WireModel):
    key: UUID
    outcome: Outcome
    status_code: int  # the HTTP status this record would have had on its own
    result: dict[str, Any] | None = None
    error: ErrorBody | None = None


class PushResponse(WireModel):
    """Results for a prefix of the records, in order; the server stops at the first RETRY."""

    results: list[RecordResult]


class PointsSpend(WireModel):
    """Spend points of a resident (``payer_id``, who may pay for a bound family member)."""

    payer_id: str
    beneficiary_id: str
    amount: int = Field(gt=0)
    purpose: str = Field(max_length=32)  # canteen, shop, activity, venue, other
    merchant_id: str = Field(max_length=64)
    reserve_id: str | None = None  # set when the kiosk spent from its offline reserve


class ReserveRelease(WireModel):
    """Give back what is left of a reserve; sent after every spend from it (outbox order)."""

    reserve_id: str


# --- reserves (online only) ---------------------------------------------------------------------


class ReserveRequest(WireModel):
    key: UUID
    resident_id: str
    amount: int = Field(gt=0)


class ReserveGrant(WireModel):
    reserve_id: str
    resident_id: str
    kiosk_id: str
    amount: int  # points now held by this kiosk for this resident (0 when refused)
    balance: int  # the resident's own balance after the move
    expires_at: datetime


# --- pull: the changes feed ---------------------------------------------------------------------


class ChangeKind(StrEnum):
    PUBLIC_KEY = "public_key"  # data: kid, public_key (base64), not_after | None
    REVOKED_TOKEN = "revoked_token"  # data: token_id
    BALANCE = "balance"  # data: resident_id, balance
    RESERVE = "reserve"  # data: ReserveGrant fields (this kiosk only)
    KIOSK_CONFIG = "kiosk_config"  # data: settings (this kiosk or all kiosks)
    RESIDENT = "resident"  # data: resident_id, masked_name, birth_year, family_id, community_id
    MENU = "menu"  # data: menu of one day and meal
    REQUEST_STATUS = "request_status"  # data: tracking_no, status, note
    KIOSK_STATUS = "kiosk_status"  # data: revoked


class Change(WireModel):
    seq: int
    kind: ChangeKind
    key: str
    data: dict[str, Any]


class ChangesResponse(WireModel):
    changes: list[Change]
    cursor: int  # pass back as ?cursor= to get what came after
    more: bool


# --- identity tokens (QR) -----------------------------------------------------------------------

TOKEN_PREFIX = "KT1"
TOKEN_SEPARATOR = ":"
_FIELD = re.compile(r"[A-Z0-9\-]{1,40}")  # used with fullmatch: "$" would let a trailing newline in
_TOKEN_ID = re.compile(r"[0-9A-F]{16,32}")


class TokenRole(StrEnum):
    RESIDENT = "R"
    STAFF = "S"
    TECHNICIAN = "T"


@dataclass(frozen=True)
class TokenClaims:
    """What a signed QR token says; every field is in the QR alphanumeric set."""

    key_id: str
    role: TokenRole
    subject: str
    issued_at: int  # unix seconds
    expires_at: int  # unix seconds
    token_id: str  # 16-32 upper-case hex digits, unique per token

    def signing_input(self) -> bytes:
        """The exact ASCII bytes the Ed25519 signature covers."""
        for name in ("key_id", "subject"):
            if not _FIELD.fullmatch(getattr(self, name)):
                raise ValueError(f"token {name} outside [A-Z0-9-]{{1,40}}")
        if not _TOKEN_ID.fullmatch(self.token_id):
            raise ValueError("token id must be 16-32 upper-case hex digits")
        fields = (
            TOKEN_PREFIX, self.key_id, TokenRole(self.role).value, self.subject,
            str(int(self.issued_at)), str(int(self.expires_at)), self.token_id,
        )
        return TOKEN_SEPARATOR.join(fields).encode("ascii")


def token_text(claims: TokenClaims, signature: bytes) -> str:
    """The QR payload: the signed fields, then the signature in unpadded RFC 4648 base32."""
    sig = base64.b32encode(signature).decode("ascii").rstrip("=")
    return claims.signing_input().decode("ascii") + TOKEN_SEPARATOR + sig


def parse_token(payload: str) -> tuple[TokenClaims, bytes, bytes]:
    """Split a QR payload into (claims, signing input, signature); ValueError if malformed.

    Checks the shape only; the signature, key and dates are the verifier's job.
    """
    if not payload.isascii():
        raise ValueError("token is not ASCII")
    parts = payload.strip().split(TOKEN_SEPARATOR)
    if len(parts) != 8 or parts[0] != TOKEN_PREFIX:
        raise ValueError("not a KT1 token")
    _, kid, role, subject, iat, exp, jti, sig_text = parts
    if not (iat.isdigit() and exp.isdigit()):
        raise ValueError("token dates are not numbers")
    claims = TokenClaims(kid, TokenRole(role), subject, int(iat), int(exp), jti)
    signing_input = claims.signing_input()
    if signing_input.decode("ascii") + TOKEN_SEPARATOR + sig_text != payload.strip():
        raise ValueError("token is not in canonical form")
    padded = sig_text + "=" * (-len(sig_text) % 8)
    try:
        signature = base64.b32decode(padded, casefold=False)
    except (ValueError, binascii.Error) as exc:
        raise ValueError("token signature is not base32") from exc
    if len(signature) != 64:
        raise ValueError("token signature is not 64 bytes")
    # 103 base32 digits carry 515 bits: the last digit's 3 spare bits must be zero, or several
    # texts (a flipped last character) would decode to the same signature.
    if base64.b32encode(signature).decode("ascii").rstrip("=") != sig_text:
        raise ValueError("token signature is not in canonical base32")
    return claims, signing_input, signature
