"""Push handlers of the canteen and points outbox kinds (importing this module registers them)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import (
    CanteenBooking,
    CanteenRedeemRecord,
    CheckInRecord,
    CounterRelease,
    LeaderboardOptIn,
    RecordKind,
    SeatsRelease,
)
from server.canteen import activities, bookings, counter, seats
from server.db import utc_now
from server.handlers import RecordContext, Rejected, registry


def _parse(model: type, payload: dict[str, Any]) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Rejected("request.invalid", fields=[".".join(map(str, e["loc"])) for e in exc.errors()]) from exc


@registry.register(RecordKind.CANTEEN_BOOK.value)
def handle_book(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """An offline booking: honoured from the kiosk's hold and reserve, or kept as refused (never lost)."""
    msg: CanteenBooking = _parse(CanteenBooking, payload)
    return bookings.apply_offline(session, ctx.kiosk_id, msg, operator_id=ctx.operator_id, now=utc_now())


@registry.register(RecordKind.CANTEEN_REDEEM.value)
def handle_redeem(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    msg: CanteenRedeemRecord = _parse(CanteenRedeemRecord, payload)
    return counter.apply_offline_serving(session, ctx.kiosk_id, payload=msg.payload, counter_id=msg.counter_id,
                                         served_at=msg.served_at)


@registry.register(RecordKind.CANTEEN_SEATS_RELEASE.value)
def handle_seats_release(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    msg: SeatsRelease = _parse(SeatsRelease, payload)
    return seats.release_hold(session, msg.hold_id, kiosk_id=ctx.kiosk_id, now=utc_now()).model_dump(mode="json")


@registry.register(RecordKind.CANTEEN_COUNTER_RELEASE.value)
def handle_counter_release(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    msg: CounterRelease = _parse(CounterRelease, payload)
    return {"released": counter.release_claims(session, ctx.kiosk_id, msg, utc_now())}


@registry.register(RecordKind.POINTS_CHECK_IN.value)
def handle_check_in(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """An activity check-in scanned offline: awarded once (a refusal is in the answer, not a dead letter)."""
    msg: CheckInRecord = _parse(CheckInRecord, payload)
    return activities.check_in(session, ctx.kiosk_id, msg.resident_id, msg.payload, utc_now()).model_dump(mode="json")


@registry.register(RecordKind.POINTS_LEADERBOARD_OPT_IN.value)
def handle_opt_in(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    msg: LeaderboardOptIn = _parse(LeaderboardOptIn, payload)
    return activities.set_opt_in(session, msg.resident_id, msg.opt_in, utc_now())
