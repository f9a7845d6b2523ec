"""The canteen and points calls to the community server (blocking: worker threads only)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from kiosk.protocol import (
    BookingAnswer,
    BookingRequest,
    CancelAnswer,
    CancelRequest,
    CheckInAnswer,
    CheckInRequest,
    CounterClaimAnswer,
    CounterClaimRequest,
    PointsProfile,
    RedeemAnswer,
    RedeemRequest,
    SeatHoldAnswer,
    SeatHoldRequest,
    TicketKeyAnswer,
    TicketKeyRequest,
)
from kiosk.sync.transport import ServerClient

M = TypeVar("M", bound=BaseModel)


def _post(client: ServerClient, path: str, body: BaseModel, model: type[M]) -> M:
    return client.call("POST", path, model, body=body)


def book(client: ServerClient, request: BookingRequest) -> BookingAnswer:
    return _post(client, "/canteen/bookings", request, BookingAnswer)


def cancel(client: ServerClient, booking_id: str, request: CancelRequest) -> CancelAnswer:
    return _post(client, f"/canteen/bookings/{booking_id}/cancel", request, CancelAnswer)


def redeem(client: ServerClient, request: RedeemRequest) -> RedeemAnswer:
    return _post(client, "/canteen/redeem", request, RedeemAnswer)


def seat_holds(client: ServerClient, request: SeatHoldRequest) -> SeatHoldAnswer:
    return _post(client, "/canteen/seat-holds", request, SeatHoldAnswer)


def ticket_key(client: ServerClient, request: TicketKeyRequest) -> TicketKeyAnswer:
    return _post(client, "/canteen/ticket-keys", request, TicketKeyAnswer)


def claim(client: ServerClient, request: CounterClaimRequest) -> CounterClaimAnswer:
    return _post(client, "/canteen/counters/claim", request, CounterClaimAnswer)


def check_in(client: ServerClient, request: CheckInRequest) -> CheckInAnswer:
    return _post(client, "/points/check-in", request, CheckInAnswer)


def profile(client: ServerClient, resident_id: str) -> PointsProfile:
    return client.call("GET", f"/points/residents/{resident_id}", PointsProfile)
