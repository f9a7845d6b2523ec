"""Wire schemas of the kiosk <-> community server API (v1), shared by both sides.

Pure data: pydantic models, constants and the identity-token text format. The server imports
this package and nothing else from ``kiosk``; it must stay free of Qt, storage and I/O.

One module per feature; every name is re-exported here, so ``from kiosk.protocol import X``
reads the same on both sides.
"""

from kiosk.protocol.wire import (  # noqa: F401 - re-exported
    API_PREFIX, PROTOCOL_VERSION, MAX_PUSH_RECORDS, MAX_CHANGES_PAGE, POINTS_PER_YUAN, WireModel, ErrorBody,
    ErrorResponse, HealthResponse, EnrollRequest, EnrollResponse, AUTH_SCHEME, auth_header,
)
from kiosk.protocol.sync import (  # noqa: F401 - re-exported
    RecordKind, OutboxRecord, PushRequest, Outcome, RecordResult, PushResponse, PointsSpend, ReserveRelease,
    ReserveRequest, ReserveGrant, ChangeKind, Change, ChangesResponse,
)
from kiosk.protocol.health import (  # noqa: F401 - re-exported
    HEALTH_CHECK_ID_PATTERN, MAX_HEALTH_OBSERVATIONS, HealthConsent, HealthObservations, HealthResult,
)
from kiosk.protocol.service_requests import (  # noqa: F401 - re-exported
    REQUEST_STATUSES, REQUEST_URGENCIES, MEDIA_KINDS, MEDIA_CHUNK_BYTES, MAX_PHOTO_BYTES, MAX_VOICE_BYTES,
    MAX_VOICE_S, MAX_REQUEST_TEXT, TRACKING_NO, tracking_check_char, tracking_number, valid_tracking_number,
    MediaRef, RequestFile, RequestMediaChunk, RequestRate, RequestReopen, RequestEventData, RequestSnapshot,
    PublicRequestStatus,
)
from kiosk.protocol.tokens import (  # noqa: F401 - re-exported
    TOKEN_PREFIX, TOKEN_SEPARATOR, TOKEN_FIELD, TokenRole, TokenClaims, token_text, parse_token,
)
from kiosk.protocol.canteen import (  # noqa: F401 - re-exported
    TICKET_PREFIX, ACTIVITY_PREFIX, MEALS, PAYMENTS, BOOKING_STATUSES, ACTIVE_BOOKING_STATUSES,
    signed_code_input, signed_code_text, parse_signed_code, TicketClaims, ticket_text, parse_ticket,
    ActivityClaims, activity_code_text, parse_activity_code, counter_for, PriceQuote, pricing_age,
    quote_price, yuan_text, CanteenBooking, BookingRequest, BookingView, BookingAnswer, CancelRequest,
    CancelAnswer, RedeemRequest, RedeemAnswer, CanteenRedeemRecord, SeatHoldRequest, SeatHold, SeatHoldAnswer,
    SeatsRelease, TicketKeyRequest, TicketKeyAnswer, CounterClaimRequest, CounterClaimAnswer, CounterRelease,
    CheckInRequest, CheckInRecord, CheckInAnswer, LeaderboardOptIn, PointsHistoryItem, PointsProfile,
)
from kiosk.protocol.ops import (  # noqa: F401 - re-exported
    PIN_SCHEME, PIN_SCRYPT_N, PIN_SCRYPT_R, PIN_SCRYPT_P, PIN_DKLEN, PIN_SALT_BYTES, HELP_CALL_STATUSES,
    pin_hash, parse_pin_hash, pin_hash_matches, StaffEntryData, HelpCallRecord, HelpCancelRecord,
    HelpCallData, DeviceBeat, Heartbeat, HeartbeatAnswer, POINTS_PER_VOLUNTEER_HOUR, AWARD_DIMENSIONS,
    AWARD_HOURS_STEP, MAX_AWARD_HOURS, points_for_hours, PointsAward, ResidentLookupRequest, ResidentMatch,
    ResidentLookupAnswer,
)
from kiosk.protocol.request_catalog import DEFAULT_REQUEST_CATEGORIES  # noqa: F401 - re-exported
