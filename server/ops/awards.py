"""Outbox handler of ``points.award``: a staff member's volunteer-hours award, posted through the ledger."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import PointsAward, RecordKind, points_for_hours
from server.handlers import Rejected, RecordContext, registry
from server.ledger.rules import award_staff
from server.models import Kiosk, Resident, Staff


@registry.register(RecordKind.POINTS_AWARD.value)
def handle_points_award(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Award ``hours`` x 10 points in ``dimension`` to the resident, with the staff member as operator.

    Refused (dead-lettered on the kiosk): a malformed record (``points.award_invalid``), no operator
    or one who is not staff of the kiosk's community (403 ``staff.not_allowed``), an unknown
    resident (404 ``staff.resident_unknown``), points that differ from the rule
    (``points.award_mismatch``), and the ledger's own refusals. Result: ``{tx_id, points}``.
    """
    try:
        award = PointsAward.model_validate(payload)
    except ValidationError:
        raise Rejected("points.award_invalid") from None
    kiosk = session.get(Kiosk, ctx.kiosk_id)
    staff = session.get(Staff, (ctx.operator_id or "").strip().upper()) if ctx.operator_id else None
    if kiosk is None or staff is None or staff.role != "staff" or staff.community_id != kiosk.community_id:
        raise Rejected("staff.not_allowed", 403)
    if session.get(Resident, award.resident_id) is None:
        raise Rejected("staff.resident_unknown", 404)
    points = points_for_hours(award.hours)
    if points != award.points:
        raise Rejected("points.award_mismatch", points=points)
    tx_id = award_staff(session, award.resident_id, points, award.dimension, award.reason, staff_id=staff.id,
                        hours=award.hours)
    return {"tx_id": tx_id, "points": points}
