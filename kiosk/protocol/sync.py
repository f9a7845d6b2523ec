"""The sync wire: outbox records pushed, their results, the changes feed pulled, reserves."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import Field

from kiosk.protocol.wire import ErrorBody, MAX_PUSH_RECORDS, WireModel


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
