"""Canteen and points (#7): meal tickets, activity codes, prices, bookings, redemption, check-in, profiles."""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from kiosk.protocol.tokens import TOKEN_FIELD, TOKEN_SEPARATOR
from kiosk.protocol.wire import ErrorBody, POINTS_PER_YUAN, WireModel


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
        if not TOKEN_FIELD.fullmatch(value):
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
