"""Server-side earning rules (STANDARDS §9), declared as data; every award records the rule it used.

- ``community_talent``: +100 once per resident, after the community confirms (the confirming
  staff member is the operator). Dimension: future (talent builds the community's future).
- ``activity_leader``: +50 per led club activity, at most 200 points per calendar month
  (Asia/Shanghai); the 5th award of a month is refused with ``points.monthly_cap``. Dimension:
  harmony (club life). The same activity is never paid twice to the same leader.
- ``staff_award``: a staff member awards points in any dimension with a reason and the hours
  spent (e.g. a fire-safety patrol); at most 500 points in one award to catch typing errors.

Reversed awards no longer count towards a monthly cap; a reversed once-only award stays used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from server.db import utc_now
from server.ledger.errors import LedgerError
from server.ledger.models import LedgerTx
from server.ledger.movements import DEFAULT_ISSUER, award, find_by_key, lock_accounts, resident_account

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class EarningRule:
    """One way to earn points: a fixed amount (or None: given per award) and its limits."""

    id: str
    points: int | None
    dimension: str | None
    once_per_resident: bool = False
    once_per_subject: bool = False  # e.g. one award per led activity
    monthly_cap_points: int | None = None
    max_points_per_award: int | None = None


RULES: dict[str, EarningRule] = {
    r.id: r
    for r in (
        EarningRule("community_talent", points=100, dimension="future", once_per_resident=True),
        EarningRule("activity_leader", points=50, dimension="harmony", once_per_subject=True,
                    monthly_cap_points=200),
        EarningRule("staff_award", points=None, dimension=None, max_points_per_award=500),
    )
}


def month_bounds_utc(now: datetime) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of the local calendar month containing ``now``, in UTC."""
    local = now.astimezone(LOCAL_TZ)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def _net_rule_points(session: Session, rule: str, resident_id: str, start: datetime, end: datetime) -> int:
    reversal = aliased(LedgerTx)
    unreversed = ~select(reversal.id).where(reversal.reverses_tx_id == LedgerTx.id).exists()
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerTx.amount), 0)).where(
            LedgerTx.kind == "award", LedgerTx.rule == rule, LedgerTx.resident_id == resident_id,
            LedgerTx.created_at >= start, LedgerTx.created_at < end, unreversed,
        )
    )
    return int(total or 0)


def award_by_rule(
    session: Session, rule_id: str, resident_id: str, *, operator_id: str, subject: str | None = None,
    points: int | None = None, dimension: str | None = None, reason: str | None = None,
    hours: float | None = None, operator_kind: str = "staff", now: datetime | None = None,
) -> int:
    """Award points to a resident under rule ``rule_id``; returns the tx id. Caller commits.

    ``subject`` names what the award is for when the rule pays once per subject (an activity id).
    Raises LedgerError ``points.rule_unknown``, ``points.rule_once`` (already paid),
    ``points.monthly_cap`` (params cap, month), ``points.amount_invalid``, ``points.dimension_unknown``.
    """
    rule = RULES.get(rule_id)
    if rule is None:
        raise LedgerError("points.rule_unknown", rule=rule_id)
    now = now or utc_now()
    amount = rule.points if rule.points is not None else points
    if amount is None or amount <= 0 or (rule.max_points_per_award and amount > rule.max_points_per_award):
        raise LedgerError("points.amount_invalid", amount=amount, max=rule.max_points_per_award)
    key = None
    if rule.once_per_resident:
        key = f"rule:{rule.id}:{resident_id}"
    elif rule.once_per_subject:
        if not subject:
            raise LedgerError("points.subject_missing", rule=rule.id)
        key = f"rule:{rule.id}:{subject}:{resident_id}"
    # Lock what award will lock, first, so two awards under one cap cannot both pass the check.
    lock_accounts(session, {resident_account(resident_id): resident_id, DEFAULT_ISSUER: None})
    if find_by_key(session, key) is not None:
        raise LedgerError("points.rule_once", rule=rule.id)
    if rule.monthly_cap_points is not None:
        start, end = month_bounds_utc(now)
        used = _net_rule_points(session, rule.id, resident_id, start, end)
        if used + amount > rule.monthly_cap_points:
            month = now.astimezone(LOCAL_TZ).strftime("%Y-%m")
            raise LedgerError("points.monthly_cap", cap=rule.monthly_cap_points, used=used, month=month)
    return award(session, resident_id, amount, rule.dimension or dimension or "", reason or rule.id,
                 operator_kind, operator_id, key, rule=rule.id, hours=hours, now=now)


def award_talent(session: Session, resident_id: str, *, confirmed_by: str, now: datetime | None = None) -> int:
    """+100 for a community talent, once per resident, confirmed by staff ``confirmed_by``."""
    return award_by_rule(session, "community_talent", resident_id, operator_id=confirmed_by, now=now)


def award_activity_leader(
    session: Session, resident_id: str, activity_id: str, *, operator_id: str, now: datetime | None = None
) -> int:
    """+50 for leading activity ``activity_id``, at most 200 per calendar month."""
    return award_by_rule(session, "activity_leader", resident_id, operator_id=operator_id, subject=activity_id,
                         now=now)


def award_staff(
    session: Session, resident_id: str, points: int, dimension: str, reason: str, *, staff_id: str,
    hours: float | None = None, now: datetime | None = None,
) -> int:
    """A staff member's award in ``dimension`` with a reason and the hours spent."""
    return award_by_rule(session, "staff_award", resident_id, operator_id=staff_id, points=points,
                         dimension=dimension, reason=reason, hours=hours, now=now)
