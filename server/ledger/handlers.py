"""Push handlers of the ledger's outbox kinds: points.spend and reserve.release (importing registers them)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import PointsSpend, RecordKind, ReserveRelease
from server.handlers import Rejected, RecordContext, registry
from server.ledger.movements import spend_with_balance
from server.ledger.reserves import release_reserve, spend_from_reserve


def _operator(ctx: RecordContext) -> tuple[str, str]:
    """Staff acting at the kiosk are the operator when named; otherwise the kiosk itself."""
    return ("staff", ctx.operator_id) if ctx.operator_id else ("kiosk", ctx.kiosk_id)


def _parse(model: type, payload: dict[str, Any]) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Rejected("request.invalid", fields=[".".join(map(str, e["loc"])) for e in exc.errors()]) from exc


@registry.register(RecordKind.POINTS_SPEND.value)
def handle_points_spend(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply a kiosk's spend: from its reserve when ``reserve_id`` is set, else from the payer's balance.

    Runs in the push transaction; raises LedgerError (a Rejected) with ``points.*`` codes.
    Result: ``{tx_id, balance, reserve}`` (reserve: ReserveGrant fields or None).
    """
    spend_msg: PointsSpend = _parse(PointsSpend, payload)
    operator_kind, operator_id = _operator(ctx)
    key = str(ctx.key)
    if spend_msg.reserve_id is not None:
        return spend_from_reserve(
            session, reserve_id=spend_msg.reserve_id, kiosk_id=ctx.kiosk_id, payer_id=spend_msg.payer_id,
            beneficiary_id=spend_msg.beneficiary_id, amount=spend_msg.amount, purpose=spend_msg.purpose,
            merchant_id=spend_msg.merchant_id, key=key, operator_kind=operator_kind, operator_id=operator_id,
        )
    tx_id, balance = spend_with_balance(
        session, spend_msg.payer_id, spend_msg.amount, spend_msg.purpose, spend_msg.merchant_id,
        operator_kind, operator_id, key, beneficiary_id=spend_msg.beneficiary_id, kiosk_id=ctx.kiosk_id,
    )
    return {"tx_id": tx_id, "balance": balance, "reserve": None}


@registry.register(RecordKind.RESERVE_RELEASE.value)
def handle_reserve_release(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Return what is left of the kiosk's reserve to the resident and close it (again: same answer).

    Result: ReserveGrant fields (``amount`` 0). Raises ``points.reserve_unknown`` / ``points.reserve_foreign``.
    """
    msg: ReserveRelease = _parse(ReserveRelease, payload)
    operator_kind, operator_id = _operator(ctx)
    grant = release_reserve(session, msg.reserve_id, kiosk_id=ctx.kiosk_id, operator_kind=operator_kind,
                            operator_id=operator_id)
    return grant.model_dump(mode="json")
