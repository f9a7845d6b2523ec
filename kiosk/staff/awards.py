"""Staff award volunteer points at the help desk: one ``points.award`` outbox record with the operator."""

from __future__ import annotations

import concurrent.futures
import uuid
from typing import Any

from sqlalchemy.orm import Session

from kiosk.i18n import N_
from kiosk.protocol import AWARD_DIMENSIONS, AWARD_HOURS_STEP, MAX_AWARD_HOURS, PointsAward, RecordKind, points_for_hours
from kiosk.sync import outbox

# Reason codes staff choose from (CONTEXT.md: what CALLMe points are earned for); the server keeps the code.
REASONS = ("patrol", "fire_check", "helping_neighbours", "council", "emergency", "hazard_report", "club_activity",
           "other")
REASON_NAMES = {
    "patrol": N_("Safety patrol"), "fire_check": N_("Fire check"),
    "helping_neighbours": N_("Neighbour help"), "council": N_("Council meeting"),
    "emergency": N_("Emergency help"), "hazard_report": N_("Hazard report"),
    "club_activity": N_("Club leader"), "other": N_("Other volunteering"),
}
DIMENSION_NAMES = {
    "harmony": N_("Harmony"), "civility": N_("Civility"), "governance": N_("Governance"),
    "integrity": N_("Integrity"), "future": N_("Future"),
}
NOT_SIGNED_IN = N_("staff.not_signed_in")
INVALID = N_("points.award_invalid")
MISMATCH = N_("points.award_mismatch")  # {points}: the server's rule gives another number (dead letter)


class AwardRefused(ValueError):
    """An award the kiosk will not queue: ``key`` is a message key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def valid_hours(hours: float) -> bool:
    steps = hours / AWARD_HOURS_STEP
    return 0 < hours <= MAX_AWARD_HOURS and abs(steps - round(steps)) < 1e-9


def build_award(resident_id: str, dimension: str, reason: str, hours: float) -> PointsAward:
    """The record for an award (points from the server's rule); AwardRefused for a bad choice."""
    if dimension not in AWARD_DIMENSIONS or reason not in REASONS or not valid_hours(hours) or not resident_id:
        raise AwardRefused(INVALID)
    return PointsAward(award_id=uuid.uuid4().hex.upper(), resident_id=resident_id, dimension=dimension,
                       reason=reason, hours=hours, points=points_for_hours(hours))


def queue_award(session: Session, award: PointsAward, operator_id: str) -> uuid.UUID:
    """Queue the award in the caller's write transaction with the staff member as operator."""
    if not operator_id:
        raise AwardRefused(NOT_SIGNED_IN)
    return outbox.enqueue(session, RecordKind.POINTS_AWARD.value, award.model_dump(mode="json"),
                          operator_id=operator_id)


def award_async(runtime: Any, award: PointsAward, operator_id: str) -> concurrent.futures.Future:
    """Commit the award from the UI (safe on the Qt thread), then wake the relay: a Future of the key."""
    if not operator_id:
        raise AwardRefused(NOT_SIGNED_IN)
    future = runtime.database.write_async(lambda s: queue_award(s, award, operator_id))

    def sent_soon(done: concurrent.futures.Future) -> None:
        sync = getattr(runtime, "sync", None)
        if not done.cancelled() and done.exception() is None and sync is not None:
            sync.relay.wake()

    future.add_done_callback(sent_soon)
    return future
