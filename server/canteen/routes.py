"""HTTP routes of the canteen and points (under /api/v1/), added by server.app.create_app.

Resident actions that must be answered now (book, cancel, redeem, check in) are keyed requests:
the first answer is stored with the key and replayed for retries (server.idempotent.apply_once).
Refusals are answers with an ``error`` body (HTTP 200), stored and replayed like successes.
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kiosk.protocol import (
    API_PREFIX,
    BookingAnswer,
    BookingRequest,
    CancelAnswer,
    CancelRequest,
    CheckInAnswer,
    CheckInRequest,
    CounterClaimAnswer,
    CounterClaimRequest,
    ErrorBody,
    ErrorResponse,
    PointsProfile,
    RedeemAnswer,
    RedeemRequest,
    SeatHoldAnswer,
    SeatHoldRequest,
    TicketKeyAnswer,
    TicketKeyRequest,
)
from server.app import KioskId  # noqa: E402 - imported when create_app installs these routes
from server.canteen import activities, bookings, counter, seats, tickets
from server.errors import ApiError, error_response
from server.handlers import Rejected
from server.idempotent import apply_once, request_hash
from server.txn import in_transaction

_ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422, 503)}


def install_routes(app: FastAPI) -> None:
    """Add the canteen and points routes to the app (uses its sessionmaker and clock)."""
    factory, clock = app.state.sessionmaker, app.state.now

    def keyed(kind: str, key, kiosk_id: str, payload: dict[str, Any], work: Callable[[Session], Any]) -> JSONResponse:  # noqa: ANN001
        answer = apply_once(factory, key=key, kiosk_id=kiosk_id, kind=kind, payload_hash=request_hash(kind, payload),
                            apply=lambda s: work(s).model_dump(mode="json"), now=clock)
        if answer.result is not None:
            return JSONResponse(answer.result, status_code=200)
        return error_response(answer.status_code, answer.error or ErrorBody(code="server.error"))

    def plain(work: Callable[[Session], Any]) -> Any:
        try:
            return in_transaction(factory, work)
        except Rejected as exc:
            raise ApiError(exc.status_code, exc.code, **exc.params) from None

    @app.post(API_PREFIX + "/canteen/bookings", response_model=BookingAnswer, responses=_ERRORS)
    def book(body: BookingRequest, kiosk_id: KioskId) -> JSONResponse:
        return keyed("canteen.booking", body.key, kiosk_id,
                     {"booking": body.booking.model_dump(mode="json"), "operator_id": body.operator_id},
                     lambda s: bookings.book_online(s, kiosk_id, body.booking, operator_id=body.operator_id, now=clock()))

    @app.post(API_PREFIX + "/canteen/bookings/{booking_id}/cancel", response_model=CancelAnswer, responses=_ERRORS)
    def cancel(booking_id: str, body: CancelRequest, kiosk_id: KioskId) -> JSONResponse:
        return keyed("canteen.cancel", body.key, kiosk_id, {"booking_id": booking_id, **body.model_dump(mode="json",
                                                                                                         exclude={"key"})},
                     lambda s: bookings.cancel(s, kiosk_id, booking_id, body, clock()))

    @app.post(API_PREFIX + "/canteen/redeem", response_model=RedeemAnswer, responses=_ERRORS)
    def redeem(body: RedeemRequest, kiosk_id: KioskId) -> JSONResponse:
        return keyed("canteen.redeem_online", body.key, kiosk_id, body.model_dump(mode="json", exclude={"key"}),
                     lambda s: counter.redeem(s, kiosk_id, body, clock()))

    @app.post(API_PREFIX + "/canteen/seat-holds", response_model=SeatHoldAnswer, responses=_ERRORS)
    def seat_holds(body: SeatHoldRequest, kiosk_id: KioskId) -> SeatHoldAnswer:
        return plain(lambda s: seats.grant_holds(s, kiosk_id, body, clock()))

    @app.post(API_PREFIX + "/canteen/ticket-keys", response_model=TicketKeyAnswer, responses=_ERRORS)
    def ticket_key(body: TicketKeyRequest, kiosk_id: KioskId) -> TicketKeyAnswer:
        return plain(lambda s: tickets.register_ticket_key(s, kiosk_id, body, clock()))

    @app.post(API_PREFIX + "/canteen/counters/claim", response_model=CounterClaimAnswer, responses=_ERRORS)
    def claim(body: CounterClaimRequest, kiosk_id: KioskId) -> CounterClaimAnswer:
        return plain(lambda s: counter.claim(s, kiosk_id, body, clock()))

    @app.post(API_PREFIX + "/points/check-in", response_model=CheckInAnswer, responses=_ERRORS)
    def check_in(body: CheckInRequest, kiosk_id: KioskId) -> JSONResponse:
        return keyed("points.check_in_online", body.key, kiosk_id, body.model_dump(mode="json", exclude={"key"}),
                     lambda s: activities.check_in(s, kiosk_id, body.resident_id, body.payload, clock()))

    @app.get(API_PREFIX + "/points/residents/{resident_id}", response_model=PointsProfile, responses=_ERRORS)
    def points_profile(resident_id: str, kiosk_id: KioskId) -> PointsProfile:
        with factory() as session:
            try:
                return activities.profile(session, resident_id, clock())
            except Rejected as exc:
                raise ApiError(exc.status_code, exc.code) from None
