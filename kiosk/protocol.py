"""Wire schemas of the kiosk <-> community server API (v1), shared by both sides.

Pure data: pydantic models, constants and the identity-token text format. The server imports
this module and nothing else from ``kiosk``; it must stay free of Qt, storage and I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime
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
    REQUEST_FILE = "request.file"  # RequestFile: a report filed at the kiosk
    REQUEST_MEDIA = "request.media"  # RequestMediaChunk: one piece of a photo / voice note
    HEALTH_OBSERVATIONS = "health.observations"  # HealthObservations: one check's FHIR Observations
    HEALTH_CONSENT = "health.consent"  # HealthConsent: a resident's decision on keeping health data
    REQUEST_RATE = "request.rate"  # RequestRate: the resident's 1-5 stars
    REQUEST_REOPEN = "request.reopen"  # RequestReopen: the resident reopens within the window
    CANTEEN_BOOK = "canteen.book"  # CanteenBooking: a meal booked offline (seat hold + points reserve)
    CANTEEN_REDEEM = "canteen.redeem"  # CanteenRedeemRecord: a ticket served offline at a counter
    CANTEEN_SEATS_RELEASE = "canteen.seats_release"  # SeatsRelease: give back the seats left in a hold
    CANTEEN_COUNTER_RELEASE = "canteen.counter_release"  # CounterRelease: a counter gives up its claims
    POINTS_CHECK_IN = "points.check_in"  # CheckInRecord: an activity check-in scanned offline
    POINTS_LEADERBOARD_OPT_IN = "points.leaderboard_opt_in"  # LeaderboardOptIn: show me on the board or not
    HELP_CALL = "help.call"  # HelpCallRecord: a resident asked for staff at a kiosk (issue #8)
    HELP_CANCEL = "help.cancel"  # HelpCancelRecord: the resident cancelled or staff arrived
    POINTS_AWARD = "points.award"  # PointsAward: staff award volunteer points at the help desk (issue #8)


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


# --- health cabin (健康小屋) -----------------------------------------------------------------------

HEALTH_CHECK_ID_PATTERN = r"^[A-Z2-7]{26}$"  # 128 random bits in base32: unguessable, QR-friendly
MAX_HEALTH_OBSERVATIONS = 20


class HealthConsent(WireModel):
    """A resident's separate consent (PIPL) to keep health data, or its refusal/withdrawal."""

    resident_id: str = Field(max_length=64)
    granted: bool
    decided_at: datetime
    purpose: str = Field("health_cabin", max_length=32)
    retention_days: int = Field(ge=1, le=3650)
    version: int = 1  # of the consent text the resident was shown


class HealthObservations(WireModel):
    """One health check of a consenting resident: FHIR R4 Observation resources (JSON)."""

    check_id: str = Field(pattern=HEALTH_CHECK_ID_PATTERN)
    resident_id: str = Field(max_length=64)
    measured_at: datetime
    observations: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_HEALTH_OBSERVATIONS)


class HealthResult(WireModel):
    """The server's answer to HealthObservations: ``alert`` when it went on the doctor's list."""

    check_id: str
    alert: bool
    observations: int


# --- service requests (报事报修) ------------------------------------------------------------------

REQUEST_STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "resolved", "closed", "returned",
                    "reopened")
REQUEST_URGENCIES = ("normal", "urgent")
MEDIA_KINDS = ("photo", "voice", "result")
MEDIA_CHUNK_BYTES = 32 * 1024  # raw bytes per request.media record: a 200-record push stays < 10 MB
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_VOICE_BYTES = 4 * 1024 * 1024
MAX_VOICE_S = 60.0
MAX_REQUEST_TEXT = 4000  # Open311 description limit
TRACKING_NO = re.compile(r"([A-Z0-9]{2,12})-([0-9]{6})-([0-9]{4,6})([0-9A-Z])")  # use with fullmatch
_CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tracking_check_char(body: str) -> str:
    """Luhn mod 36 check character over the letters and digits of ``body`` (dashes ignored).

    Catches every single wrong character and most swaps of neighbours, so a number read out
    over the phone or typed by staff is checked before it is looked up.
    """
    chars = [c for c in body.upper() if c != "-"]
    total, factor = 0, 2
    for ch in reversed(chars):
        addend = factor * _CHECK_ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // 36 + addend % 36
    return _CHECK_ALPHABET[(36 - total % 36) % 36]


def tracking_number(code: str, yymmdd: str, seq: int) -> str:
    """``<code>-<yymmdd>-<seq><check>``, e.g. ``1A2B3C4D-261121-0007K``; ValueError if malformed."""
    body = f"{code}-{yymmdd}-{seq:04d}"
    number = body + tracking_check_char(body)
    if not TRACKING_NO.fullmatch(number):
        raise ValueError(f"tracking number {number!r} is malformed")
    return number


def valid_tracking_number(text: str) -> bool:
    """True when ``text`` has the tracking number shape and its check character matches."""
    return bool(TRACKING_NO.fullmatch(text)) and tracking_check_char(text[:-1]) == text[-1]


class MediaRef(WireModel):
    """A photo or voice note that belongs to a request; its bytes follow in request.media records."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: str = Field(pattern=r"^(photo|voice)$")
    mime: str = Field(max_length=64)
    size: int = Field(gt=0)
    duration_s: float | None = Field(default=None, ge=0, le=MAX_VOICE_S + 1)


class RequestFile(WireModel):
    """A report filed at a kiosk; ``tracking_no`` was made by the kiosk (unique without the server)."""

    tracking_no: str = Field(max_length=32)
    category: str = Field(max_length=32)
    place_code: str = Field(default="", max_length=64)
    place_text: str = Field(default="", max_length=200)  # the place in words (zh), as the kiosk showed it
    phrases: list[str] = Field(default_factory=list, max_length=20)  # phrase codes of the category
    text: str = Field(default="", max_length=MAX_REQUEST_TEXT)
    urgency: str = Field(default="normal", pattern=r"^(normal|urgent)$")
    resident_id: str | None = Field(default=None, max_length=32)  # None: a guest's report
    receipt_code: str = Field(pattern=r"^[A-Z0-9]{4,12}$")  # the secret on the receipt's QR
    media: list[MediaRef] = Field(default_factory=list, max_length=4)


class RequestMediaChunk(WireModel):
    """Piece ``index`` of ``count`` of one media file (base64 of <= MEDIA_CHUNK_BYTES raw bytes)."""

    tracking_no: str = Field(max_length=32)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    index: int = Field(ge=0)
    count: int = Field(ge=1, le=(MAX_VOICE_BYTES // MEDIA_CHUNK_BYTES) + 1)
    data: str = Field(max_length=(MEDIA_CHUNK_BYTES * 4) // 3 + 4)


class RequestRate(WireModel):
    tracking_no: str = Field(max_length=32)
    stars: int = Field(ge=1, le=5)
    reason: str = Field(default="", max_length=500)
    resident_id: str | None = Field(default=None, max_length=32)


class RequestReopen(WireModel):
    tracking_no: str = Field(max_length=32)
    reason: str = Field(min_length=1, max_length=500)
    resident_id: str | None = Field(default=None, max_length=32)


class RequestEventData(WireModel):
    status: str
    at: datetime
    note: str = ""
    actor: str = ""  # resident | staff | system


class RequestSnapshot(WireModel):
    """What kiosks get (REQUEST_STATUS change) about one request after every change on the server."""

    tracking_no: str
    status: str
    note: str = ""  # the note of the latest status change
    updated_at: datetime
    created_at: datetime
    resident_id: str | None = None
    category: str
    place_code: str = ""
    place_text: str = ""
    urgency: str = "normal"
    events: list[RequestEventData] = Field(default_factory=list)
    handler_note: str = ""  # the latest note staff wrote
    result_photo: str | None = None  # sha256 of the result photo (bytes in a REQUEST_PHOTO change)
    rating: int | None = None
    points_awarded: int = 0
    points_reason: str = ""  # reason code, e.g. "safety_hazard_confirmed"
    finished_at: datetime | None = None  # last resolved/closed/returned
    reopen_until: datetime | None = None  # the resident may reopen until then


class PublicRequestStatus(WireModel):
    """GET /requests/{tracking_no}/public: the status for a receipt's QR; nothing personal."""

    tracking_no: str
    category: str
    status: str
    updated_at: datetime
    events: list[RequestEventData]


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
    REQUEST_STATUS = "request_status"  # data: RequestSnapshot fields (tracking_no, status, note, ...)
    REQUEST_PHOTO = "request_photo"  # data: tracking_no, sha256, mime, data (base64 JPEG result photo)
    REQUEST_CATEGORY = "request_category"  # data: RequestCategoryData fields (active False: withdrawn)
    REQUEST_PLACES = "request_places"  # data: {"community": PlaceData tree} of one community
    KIOSK_STATUS = "kiosk_status"  # data: revoked
    CANTEEN_BOOKING = "canteen_booking"  # data: BookingView fields (status changes too)
    CANTEEN_SEATS = "canteen_seats"  # data: menu_id, capacity, booked, held, seats_left
    TICKET_KEY = "ticket_key"  # data: kid, public_key (base64), kiosk_id, not_after: a kiosk's offline ticket key
    ACTIVITY = "activity"  # data: activity_id, name, community_id, starts_at, points
    LEADERBOARD = "leaderboard"  # data: building_id, building_name, month, entries [{masked_name, points}]
    STAFF = "staff"  # data: StaffEntryData fields (staff directory with PIN hashes; every kiosk)
    HELP_CALL = "help_call"  # data: HelpCallData fields (to every kiosk of the call's community)


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


# --- canteen and points (#7) --------------------------------------------------------------------
# Tickets and activity check-in codes are signed QR texts like the identity tokens, with their own
# prefixes (a ticket can never pass as an identity and the other way round):
#   KC1:KID:BOOKING_ID:MENU_ID:YYYYMMDD:L|D:COUNTER_NO:BENEFICIARY:ISSUED_AT:BASE32SIG
#   KA1:KID:ACTIVITY_ID:POINTS:EXPIRES_AT:CODE_ID:BASE32SIG
# A ticket is signed by a server key (kid as in PUBLIC_KEY) when booked online, or by the booking
# kiosk's own ticket key (kid "T-...", published as TICKET_KEY) when booked offline.

TICKET_PREFIX = "KC1"
ACTIVITY_PREFIX = "KA1"
MEALS = ("lunch", "dinner")
PAYMENTS = ("points", "cash", "points_cash")
BOOKING_STATUSES = ("booked", "cancelled", "served", "no_show", "refused")
ACTIVE_BOOKING_STATUSES = ("booked", "served", "no_show")
_MEAL_CODE = {"lunch": "L", "dinner": "D"}


def signed_code_input(prefix: str, key_id: str, fields: tuple[str, ...]) -> bytes:
    """The ASCII bytes a signed QR code's signature covers; ValueError for a field outside [A-Z0-9-]{1,40}."""
    for value in (key_id, *fields):
        if not _FIELD.fullmatch(value):
            raise ValueError("signed code field outside [A-Z0-9-]{1,40}")
    return TOKEN_SEPARATOR.join((prefix, key_id, *fields)).encode("ascii")


def signed_code_text(prefix: str, key_id: str, fields: tuple[str, ...], signature: bytes) -> str:
    sig = base64.b32encode(signature).decode("ascii").rstrip("=")
    return signed_code_input(prefix, key_id, fields).decode("ascii") + TOKEN_SEPARATOR + sig


def parse_signed_code(payload: str, prefix: str, n_fields: int) -> tuple[str, tuple[str, ...], bytes, bytes]:
    """(key id, fields, signing input, signature) of a ``prefix`` code; ValueError if malformed (shape only)."""
    if not isinstance(payload, str) or not payload.isascii() or len(payload) > 400:
        raise ValueError("not an ASCII code")
    text = payload.strip()
    parts = text.split(TOKEN_SEPARATOR)
    if len(parts) != n_fields + 3 or parts[0] != prefix:
        raise ValueError(f"not a {prefix} code")
    key_id, fields, sig_text = parts[1], tuple(parts[2:-1]), parts[-1]
    signing_input = signed_code_input(prefix, key_id, fields)
    try:
        signature = base64.b32decode(sig_text + "=" * (-len(sig_text) % 8), casefold=False)
    except (ValueError, binascii.Error) as exc:
        raise ValueError("signature is not base32") from exc
    if len(signature) != 64 or base64.b32encode(signature).decode("ascii").rstrip("=") != sig_text:
        raise ValueError("signature is not 64 bytes in canonical base32")
    return key_id, fields, signing_input, signature


@dataclass(frozen=True)
class TicketClaims:
    """What a meal ticket says; ``booking_id`` is 32 upper-case hex digits, ``issued_at`` unix seconds."""

    key_id: str
    booking_id: str
    menu_id: int
    day: date
    meal: str
    counter_no: int
    beneficiary_id: str
    issued_at: int

    def fields(self) -> tuple[str, ...]:
        return (self.booking_id, str(int(self.menu_id)), self.day.strftime("%Y%m%d"), _MEAL_CODE[self.meal],
                str(int(self.counter_no)), self.beneficiary_id, str(int(self.issued_at)))

    def signing_input(self) -> bytes:
        return signed_code_input(TICKET_PREFIX, self.key_id, self.fields())


def ticket_text(claims: TicketClaims, signature: bytes) -> str:
    return signed_code_text(TICKET_PREFIX, claims.key_id, claims.fields(), signature)


def parse_ticket(payload: str) -> tuple[TicketClaims, bytes, bytes]:
    """(claims, signing input, signature) of a KC1 ticket; ValueError when malformed."""
    kid, f, signing_input, signature = parse_signed_code(payload, TICKET_PREFIX, 7)
    meals = {v: k for k, v in _MEAL_CODE.items()}
    if not (f[1].isdigit() and f[2].isdigit() and len(f[2]) == 8 and f[3] in meals and f[4].isdigit()
            and f[6].isdigit() and len(f[0]) == 32):
        raise ValueError("ticket fields malformed")
    day = date(int(f[2][:4]), int(f[2][4:6]), int(f[2][6:]))
    return TicketClaims(kid, f[0], int(f[1]), day, meals[f[3]], int(f[4]), f[5], int(f[6])), signing_input, signature


@dataclass(frozen=True)
class ActivityClaims:
    """What an activity check-in QR says: which activity, how many points, until when (unix seconds)."""

    key_id: str
    activity_id: str
    points: int
    expires_at: int
    code_id: str

    def fields(self) -> tuple[str, ...]:
        return (self.activity_id, str(int(self.points)), str(int(self.expires_at)), self.code_id)

    def signing_input(self) -> bytes:
        return signed_code_input(ACTIVITY_PREFIX, self.key_id, self.fields())


def activity_code_text(claims: ActivityClaims, signature: bytes) -> str:
    return signed_code_text(ACTIVITY_PREFIX, claims.key_id, claims.fields(), signature)


def parse_activity_code(payload: str) -> tuple[ActivityClaims, bytes, bytes]:
    """(claims, signing input, signature) of a KA1 check-in code; ValueError when malformed."""
    kid, f, signing_input, signature = parse_signed_code(payload, ACTIVITY_PREFIX, 4)
    if not (f[1].isdigit() and f[2].isdigit()):
        raise ValueError("activity code fields malformed")
    return ActivityClaims(kid, f[0], int(f[1]), int(f[2]), f[3]), signing_input, signature


def counter_for(beneficiary_id: str, counters: int) -> int:
    """The serving counter (1..counters) of everyone's tickets of one person: the same counter for
    every ticket of a person, so that counter alone can see a second meal offline."""
    return 1 + zlib.crc32(beneficiary_id.encode("utf-8")) % max(1, int(counters))


@dataclass(frozen=True)
class PriceQuote:
    """A meal's price for one person: ``points`` is what they pay (10 points = 1 yuan)."""

    points: int
    base_points: int
    tier: str  # "" when no tier applies
    discount_percent: int
    subsidy_points: int


def pricing_age(birth_year: int | None, day: date) -> int | None:
    """The age the price tiers use: the calendar year of the meal minus the birth year (both sides agree)."""
    return None if birth_year is None else day.year - int(birth_year)


def quote_price(base_points: int, age: int | None, tiers: list[dict[str, Any]] | None) -> PriceQuote:
    """Price after the age tier (setting ``canteen.age_discounts``: min_age, max_age|None,
    discount_percent, optional subsidy_points and tier label); the oldest matching tier wins."""
    best: dict[str, Any] | None = None
    for tier in tiers or []:
        low, high = int(tier.get("min_age", 0)), tier.get("max_age")
        if age is not None and age >= low and (high is None or age <= int(high)):
            if best is None or low > int(best.get("min_age", 0)):
                best = tier
    if best is None:
        return PriceQuote(int(base_points), int(base_points), "", 0, 0)
    pct = max(0, min(100, int(best.get("discount_percent", 0))))
    subsidy = max(0, int(best.get("subsidy_points", 0)))
    label = str(best.get("tier") or (f"{best['min_age']}+" if best.get("max_age") is None
                                     else f"{best['min_age']}-{best['max_age']}"))
    discounted = (int(base_points) * (100 - pct) + 50) // 100
    return PriceQuote(max(0, discounted - subsidy), int(base_points), label, pct, min(subsidy, discounted))


def yuan_text(points: int) -> str:
    """Points as yuan with two decimals (10 points = 1 yuan): 96 -> "9.60"."""
    fen = int(points) * 100 // POINTS_PER_YUAN
    return f"{fen // 100}.{fen % 100:02d}"


class CanteenBooking(WireModel):
    """A booking request (online) or an offline booking (outbox ``canteen.book``)."""

    booking_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    menu_id: int
    payer_id: str = Field(max_length=64)
    beneficiary_id: str = Field(max_length=64)
    payment: str = Field(pattern=r"^(points|cash|points_cash)$")
    quoted_points: int = Field(ge=0)  # the price the resident saw and accepted
    points_part: int | None = Field(default=None, ge=0)  # points_cash: None = as many as the payer has
    pool_family: bool = False  # online: the family's balances help the payer's (payer first)
    # offline bookings only:
    hold_id: str | None = None
    reserve_id: str | None = None
    ticket: str | None = None  # the kiosk-signed ticket the resident holds
    booked_at: datetime | None = None  # kiosk clock when it committed (judged against the cut-off)


class BookingRequest(WireModel):
    key: UUID
    booking: CanteenBooking
    operator_id: str | None = None


class BookingView(WireModel):
    booking_id: str
    menu_id: int
    community_id: str
    day: date
    meal: str
    payer_id: str
    beneficiary_id: str
    payment: str
    status: str
    tier: str
    discount_percent: int
    subsidy_points: int
    base_points: int
    price_points: int
    paid_points: int
    cash_points: int  # paid in cash at the counter (points' worth; yuan_text() for yuan)
    counter_no: int
    ticket: str
    origin: str  # online | offline
    refused_code: str | None = None


class BookingAnswer(WireModel):
    """``booking`` when booked (or replayed), else ``error`` (canteen.full, points.insufficient, ...)."""

    booking: BookingView | None = None
    balance: int | None = None
    error: ErrorBody | None = None


class CancelRequest(WireModel):
    key: UUID
    reason: str = Field(default="", max_length=200)
    resident_id: str | None = None  # who asks (payer or beneficiary or family), when known
    operator_id: str | None = None


class CancelAnswer(WireModel):
    booking: BookingView | None = None
    returned_points: int = 0
    balance: int | None = None
    error: ErrorBody | None = None


class RedeemRequest(WireModel):
    key: UUID
    payload: str = Field(max_length=400)
    counter_id: str = Field(max_length=32)
    day: date
    meal: str


class RedeemAnswer(WireModel):
    outcome: str  # served, already_served, wrong_day, wrong_meal, cancelled, forged, unknown, other_counter
    detail_key: str
    booking: BookingView | None = None
    counter_no: int | None = None


class CanteenRedeemRecord(WireModel):
    booking_id: str
    payload: str = Field(max_length=400)
    counter_id: str = Field(max_length=32)
    served_at: datetime


class SeatHoldRequest(WireModel):
    menu_ids: list[int] = Field(max_length=64)
    seats: int = Field(ge=0, le=50)


class SeatHold(WireModel):
    hold_id: str
    menu_id: int
    seats: int  # still held for this kiosk
    used: int
    expires_at: datetime  # the menu's cut-off


class SeatHoldAnswer(WireModel):
    holds: list[SeatHold]


class SeatsRelease(WireModel):
    hold_id: str


class TicketKeyRequest(WireModel):
    kid: str = Field(pattern=r"^T-[A-Z0-9-]{1,37}$")
    public_key: str  # base64 of the raw 32-byte Ed25519 public key


class TicketKeyAnswer(WireModel):
    kid: str
    kiosk_id: str


class CounterClaimRequest(WireModel):
    day: date
    counter_nos: list[int] = Field(max_length=32)
    counter_id: str = Field(max_length=32)


class CounterClaimAnswer(WireModel):
    day: date
    community_id: str
    counters: int  # serving counters configured for the community
    held: list[int]  # counter numbers this kiosk now holds for the day
    others: dict[str, str]  # counter number -> counter id of another kiosk holding it


class CounterRelease(WireModel):
    day: date
    counter_nos: list[int]


class CheckInRequest(WireModel):
    key: UUID
    payload: str = Field(max_length=400)
    resident_id: str


class CheckInRecord(WireModel):
    payload: str = Field(max_length=400)
    resident_id: str


class CheckInAnswer(WireModel):
    activity_id: str = ""
    title: str = ""
    points: int = 0
    already: bool = False
    balance: int | None = None
    error: ErrorBody | None = None


class LeaderboardOptIn(WireModel):
    resident_id: str
    opt_in: bool


class PointsHistoryItem(WireModel):
    tx_id: int
    when: datetime
    kind: str  # award, spend, reversal
    category: str | None = None  # dimension (awards) or purpose (spends)
    rule: str | None = None
    where: str = ""  # a place name (community canteen, activity) or ""
    points: int  # signed: + earned, - spent
    reversed: bool = False


class PointsProfile(WireModel):
    resident_id: str
    balance: int  # own, spendable anywhere
    held: int  # held by kiosks for offline spending (still the resident's)
    building_id: str | None = None
    building_name: str = ""
    opted_in: bool = False
    month_earned: int = 0
    history: list[PointsHistoryItem] = Field(default_factory=list)


# --- help desk, technician and kiosk operations (#8) --------------------------------------------
# A PIN hash is "scrypt$n$r$p$salt_b64$hash_b64" (hashlib.scrypt, a random 16-byte salt per PIN):
# the server makes staff hashes (`kiosk-server staff set-pin`), kiosks verify them offline.

PIN_SCHEME = "scrypt"
PIN_SCRYPT_N = 2**14  # ~16 MB and ~50 ms per check: cheap for one sign-in, slow for guessing
PIN_SCRYPT_R = 8
PIN_SCRYPT_P = 1
PIN_DKLEN = 32
PIN_SALT_BYTES = 16
HELP_CALL_STATUSES = ("open", "cancelled", "done")


def pin_hash(pin: str, *, salt: bytes | None = None, n: int = PIN_SCRYPT_N, r: int = PIN_SCRYPT_R,
             p: int = PIN_SCRYPT_P) -> str:
    """The encoded scrypt hash of ``pin`` with a fresh random salt (or ``salt``)."""
    salt = os.urandom(PIN_SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=PIN_DKLEN, maxmem=2**26)
    b64 = base64.b64encode
    return f"{PIN_SCHEME}${n}${r}${p}${b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"


def parse_pin_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of an encoded PIN hash; ValueError when it is not one."""
    parts = encoded.split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != PIN_SCHEME or not all(x.isdigit() for x in parts[1:4]):
        raise ValueError("not a scrypt PIN hash")
    n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError("scrypt parameters out of range")
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("PIN hash salt or digest is not base64") from exc
    if len(salt) < 8 or len(digest) < 16:
        raise ValueError("PIN hash salt or digest too short")
    return n, r, p, salt, digest


def pin_hash_matches(pin: str, encoded: str) -> bool:
    """True when ``pin`` hashes to ``encoded`` (constant-time compare); False for a malformed hash."""
    try:
        n, r, p, salt, digest = parse_pin_hash(encoded)
    except ValueError:
        return False
    candidate = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=2**26)
    return hmac.compare_digest(candidate, digest)


class StaffEntryData(WireModel):
    """STAFF change data: one staff member or technician as kiosks know them (masked name only)."""

    staff_id: str = Field(max_length=32)
    masked_name: str = Field(max_length=100)
    role: str = Field(pattern=r"^(staff|technician)$")
    community_id: str = Field(max_length=32)
    pin_hash: str | None = Field(default=None, max_length=200)
    active: bool = True


class HelpCallRecord(WireModel):
    """Outbox ``help.call``: a resident pressed "call staff" at ``where`` (a screen or place code)."""

    call_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    where: str = Field(max_length=64)
    resident_id: str | None = Field(default=None, max_length=32)
    raised_at: datetime


class HelpCancelRecord(WireModel):
    """Outbox ``help.cancel``: ``by`` is "resident" or "staff:<staff id>"."""

    call_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    by: str = Field(pattern=r"^(resident|staff:[A-Z0-9-]{1,32})$")
    at: datetime


class HelpCallData(WireModel):
    """HELP_CALL change data: a call as staff views at the kiosks of its community show it."""

    call_id: str
    kiosk_id: str
    kiosk_name: str
    community_id: str
    where: str
    raised_at: datetime
    status: str  # open | cancelled | done
    closed_at: datetime | None = None
    closed_by: str | None = None


class DeviceBeat(WireModel):
    role: str = Field(max_length=32)
    driver: str = Field(max_length=64)
    state: str = Field(max_length=16)  # devices.state.DeviceState value
    reason_key: str = Field(default="", max_length=64)


class Heartbeat(WireModel):
    """POST /heartbeat: how a kiosk is doing (no personal data)."""

    version: str = Field(max_length=32)
    sent_at: datetime
    uptime_s: float = Field(ge=0)
    queue: int = Field(ge=0)  # outbox records waiting
    dead: int = Field(ge=0)  # outbox records the server refused for good
    paper: str = Field(max_length=16)  # ok, near_end, paper_out, cover_open, offline, unknown, none
    devices: list[DeviceBeat] = Field(default_factory=list, max_length=32)
    last_error: str | None = Field(default=None, max_length=64)  # a message key (sync.offline, ...)


class HeartbeatAnswer(WireModel):
    received_at: datetime


# --- help desk (issue #8): staff awards and resident look-up ---------------------------------------

POINTS_PER_VOLUNTEER_HOUR = 10  # the server's rule for staff awards: one hour of volunteering = 10 points
AWARD_DIMENSIONS = ("harmony", "civility", "governance", "integrity", "future")
AWARD_HOURS_STEP = 0.5
MAX_AWARD_HOURS = 50.0  # 500 points: the ledger's cap on one staff award


def points_for_hours(hours: float) -> int:
    """Points that ``hours`` of volunteering earn in a staff award (kiosk preview and server rule)."""
    return round(hours * POINTS_PER_VOLUNTEER_HOUR)


class PointsAward(WireModel):
    """Outbox ``points.award``: a staff member (the record's operator_id) awards volunteer hours.

    ``points`` is what the kiosk showed; the server refuses the award when its rule gives another
    number (``points.award_mismatch``), so nobody is told a figure the ledger does not hold.
    """

    award_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    resident_id: str = Field(min_length=1, max_length=32)
    dimension: str = Field(pattern=r"^(harmony|civility|governance|integrity|future)$")
    reason: str = Field(pattern=r"^[a-z_]{1,32}$")  # a reason code: patrol, fire_check, ...
    hours: float = Field(gt=0, le=MAX_AWARD_HOURS, multiple_of=AWARD_HOURS_STEP)
    points: int = Field(gt=0)


class ResidentLookupRequest(WireModel):
    """POST /staff/lookup (kiosk credentials + the signed-in staff member's id): by the last four
    digits of the phone (optionally narrowed by the name or surname), or the family of a resident."""

    operator_id: str = Field(min_length=1, max_length=32)
    phone_last4: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    name: str | None = Field(default=None, max_length=50)
    family_of: str | None = Field(default=None, max_length=32)


class ResidentMatch(WireModel):
    """A resident as the help desk may see them: masked name, never the phone or full name."""

    resident_id: str
    masked_name: str
    birth_year: int | None = None
    family_id: str | None = None
    community_id: str | None = None


class ResidentLookupAnswer(WireModel):
    matches: list[ResidentMatch] = Field(default_factory=list)
    more: bool = False  # more residents matched than were sent: ask for the name too
