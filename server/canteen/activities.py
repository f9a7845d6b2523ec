"""Activity check-in (server-signed QR, once per person per activity), leaderboards and points profiles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kiosk.protocol import ChangeKind, CheckInAnswer, ErrorBody, PointsHistoryItem, PointsProfile
from server.canteen import config
from server.canteen.models import ActivityReward, CheckIn, LeaderboardOptInRow
from server.canteen.tickets import sign_activity_code, verify_activity_code
from server.changes import record_change
from server.handlers import Rejected
from server.ledger.models import DIMENSIONS, Account, LedgerTx, Reserve
from server.ledger.movements import DEFAULT_ISSUER, award, history, lock_accounts, resident_account, resident_balance
from server.ledger.rules import month_bounds_utc
from server.models import Activity, Building, Community, Resident, Unit
from server.residents import mask_name

CHECKIN_RULE = "activity_checkin"
BOARD_SIZE = 10


def activity_data(activity: Activity, points: int) -> dict:
    return {"activity_id": activity.id, "name": activity.name, "community_id": activity.community_id,
            "starts_at": activity.starts_at.isoformat(), "points": points}


def make_checkin_code(session: Session, activity_id: str, *, points: int, dimension: str = "harmony",
                      days: int = 30, now: datetime) -> str:
    """Set the activity's check-in reward, publish the activity and return its signed QR payload.

    Raises LookupError (unknown activity, no signing key) or ValueError (points 1..200, dimension).
    """
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise LookupError(f"no activity {activity_id}")
    if not 1 <= points <= 200 or dimension not in DIMENSIONS:
        raise ValueError("points must be 1..200 and the dimension one of " + ", ".join(DIMENSIONS))
    reward = session.get(ActivityReward, activity_id)
    if reward is None:
        session.add(ActivityReward(activity_id=activity_id, points=points, dimension=dimension, created_at=now))
    else:
        reward.points, reward.dimension = points, dimension
    session.flush()
    record_change(session, ChangeKind.ACTIVITY, activity_id, activity_data(activity, points))
    return sign_activity_code(session, activity_id, points, days=days, now=now)


def check_in(session: Session, kiosk_id: str, resident_id: str, payload: str, now: datetime) -> CheckInAnswer:
    """Award the activity's points once per person; a second scan answers ``already``. Caller commits."""
    try:
        claims = verify_activity_code(session, payload, now)
        activity = session.get(Activity, claims.activity_id)
        if activity is None:
            raise Rejected("points.checkin_invalid")
        if session.get(Resident, resident_id) is None:
            raise Rejected("canteen.resident_unknown")
    except Rejected as exc:
        return CheckInAnswer(error=ErrorBody(code=exc.code, params=exc.params))
    reward = session.get(ActivityReward, activity.id)
    points = reward.points if reward is not None else claims.points
    # Lock what award() locks first: a second check-in of the same person waits, then sees the first.
    lock_accounts(session, {resident_account(resident_id): resident_id, DEFAULT_ISSUER: None})
    done = session.get(CheckIn, (resident_id, activity.id))
    if done is not None:
        return CheckInAnswer(activity_id=activity.id, title=activity.name, points=done.points, already=True,
                             balance=resident_balance(session, resident_id))
    tx_id = award(session, resident_id, points, reward.dimension if reward else "harmony", f"activity {activity.id}",
                  "kiosk", kiosk_id, key=f"checkin:{activity.id}:{resident_id}", rule=CHECKIN_RULE, now=now)
    session.add(CheckIn(resident_id=resident_id, activity_id=activity.id, kiosk_id=kiosk_id, points=points,
                        tx_id=tx_id, at=now))
    session.flush()
    publish_board_of(session, resident_id, now)
    return CheckInAnswer(activity_id=activity.id, title=activity.name, points=points, already=False,
                         balance=resident_balance(session, resident_id))


def building_of(session: Session, resident_id: str) -> Building | None:
    return session.scalar(select(Building).join(Unit, Unit.building_id == Building.id)
                          .join(Resident, Resident.unit_id == Unit.id).where(Resident.id == resident_id))


def _earned(session: Session, resident_ids: list[str], now: datetime) -> dict[str, int]:
    """Points awarded this local calendar month per resident, reversed awards left out."""
    if not resident_ids:
        return {}
    start, end = month_bounds_utc(now)
    reversal = aliased(LedgerTx)
    rows = session.execute(
        select(LedgerTx.resident_id, func.sum(LedgerTx.amount))
        .where(LedgerTx.kind == "award", LedgerTx.resident_id.in_(resident_ids), LedgerTx.created_at >= start,
               LedgerTx.created_at < end, ~select(reversal.id).where(reversal.reverses_tx_id == LedgerTx.id).exists())
        .group_by(LedgerTx.resident_id))
    return {rid: int(total or 0) for rid, total in rows}


def leaderboard(session: Session, building_id: str, now: datetime) -> list[tuple[str, int]]:
    """(masked name, points earned this month) of the building's opted-in residents, best first."""
    people = session.execute(
        select(Resident.id, Resident.name).join(Unit, Unit.id == Resident.unit_id)
        .join(LeaderboardOptInRow, LeaderboardOptInRow.resident_id == Resident.id)
        .where(Unit.building_id == building_id, LeaderboardOptInRow.opted_in.is_(True))).all()
    earned = _earned(session, [p.id for p in people], now)
    board = sorted(((mask_name(p.name), earned.get(p.id, 0), p.id) for p in people), key=lambda e: (-e[1], e[2]))
    return [(name, points) for name, points, _ in board[:BOARD_SIZE]]


def publish_board(session: Session, building: Building, now: datetime) -> None:
    entries = [{"masked_name": n, "points": p} for n, p in leaderboard(session, building.id, now)]
    record_change(session, ChangeKind.LEADERBOARD, building.id, {
        "building_id": building.id, "building_name": building.name,
        "month": now.astimezone(config.LOCAL_TZ).strftime("%Y-%m"), "entries": entries})


def publish_board_of(session: Session, resident_id: str, now: datetime) -> None:
    building = building_of(session, resident_id)
    if building is not None:
        publish_board(session, building, now)


def publish_all_boards(session: Session, now: datetime) -> int:
    buildings = session.scalars(select(Building).order_by(Building.id)).all()
    for building in buildings:
        publish_board(session, building, now)
    return len(buildings)


def set_opt_in(session: Session, resident_id: str, opt_in: bool, now: datetime) -> dict:
    if session.get(Resident, resident_id) is None:
        raise Rejected("canteen.resident_unknown")
    row = session.get(LeaderboardOptInRow, resident_id)
    if row is None:
        session.add(LeaderboardOptInRow(resident_id=resident_id, opted_in=opt_in, updated_at=now))
    else:
        row.opted_in, row.updated_at = opt_in, now
    session.flush()
    publish_board_of(session, resident_id, now)
    return {"resident_id": resident_id, "opted_in": opt_in}


def _where(session: Session, tx: LedgerTx | None, merchant: str | None) -> str:
    if merchant and merchant.startswith("canteen:"):
        community = session.get(Community, merchant.split(":", 1)[1])
        return community.name if community else ""
    if tx is not None and tx.rule == CHECKIN_RULE and tx.reason and tx.reason.startswith("activity "):
        activity = session.get(Activity, tx.reason.split(" ", 1)[1])
        return activity.name if activity else ""
    return ""


def profile(session: Session, resident_id: str, now: datetime, limit: int = 30) -> PointsProfile:
    """Balance, points held by kiosks, building, opt-in, this month's earnings and recent history."""
    if session.get(Resident, resident_id) is None:
        raise Rejected("canteen.resident_unknown", 404)
    held = session.scalar(select(func.coalesce(func.sum(Account.balance), 0)).join(Reserve, Reserve.account_id == Account.id)
                          .where(Reserve.resident_id == resident_id, Reserve.status == "open")) or 0
    building = building_of(session, resident_id)
    opt = session.get(LeaderboardOptInRow, resident_id)
    items = []
    for entry in history(session, resident_id, limit):
        tx = session.get(LedgerTx, entry.tx_id)
        target = session.get(LedgerTx, tx.reverses_tx_id) if tx is not None and tx.reverses_tx_id else tx
        items.append(PointsHistoryItem(
            tx_id=entry.tx_id, when=entry.when, kind=entry.kind, category=entry.category,
            rule=target.rule if target is not None else None,
            where=_where(session, target, target.merchant_id if target is not None else None),
            points=entry.points, reversed=entry.reversed))
    return PointsProfile(resident_id=resident_id, balance=resident_balance(session, resident_id), held=int(held),
                         building_id=building.id if building else None, building_name=building.name if building else "",
                         opted_in=bool(opt and opt.opted_in), month_earned=_earned(session, [resident_id], now).get(resident_id, 0),
                         history=items)
