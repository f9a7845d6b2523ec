"""Offline wallet: spend a resident's points only from a reserve the server moved to this kiosk.

Default caps (:class:`WalletPolicy`, matching the server's ``RESERVE_POLICY``):

- at most 300 points per spend (``points.offline_cap``);
- at most 600 points and 5 spends per resident (payer) per local day, counted over every spend
  this kiosk made from reserves (``points.daily_cap``, ``points.daily_count_cap``);
- a reserve is spendable for 7 days after it was granted, and never past the server's
  ``expires_at`` (``points.reserve_expired``);
- never beyond what the reserve still holds (``points.reserve_exceeded``); no reserve at all is
  ``points.no_reserve``.

What a reserve still holds is computed conservatively: the last grant's amount minus every
local spend not yet known to be inside that grant (not delivered before the grant was asked
for), and never more than the newest amount the changes feed reported. A spend commits its
domain row and its outbox record in one transaction: only then is the receipt printed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.i18n import N_
from kiosk.points.models import PointsSpendRow, Reserve
from kiosk.protocol import PointsSpend, RecordKind, ReserveGrant, ReserveRelease, ReserveRequest
from kiosk.storage import Database
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.models import DEAD, DELIVERED, OutboxRow, ResidentEntry
from kiosk.sync.transport import ServerClient

NO_RESERVE = N_("points.no_reserve")
RESERVE_EXCEEDED = N_("points.reserve_exceeded")
RESERVE_EXPIRED = N_("points.reserve_expired")
OFFLINE_CAP = N_("points.offline_cap")
DAILY_CAP = N_("points.daily_cap")
DAILY_COUNT_CAP = N_("points.daily_count_cap")
SERVER_NEEDED = N_("points.server_needed")
RESERVE_REFUSED = N_("points.reserve_refused")
INVALID_AMOUNT = N_("points.invalid_amount")
NOT_FAMILY = N_("points.not_family")


class PointsError(Exception):
    """A spend or reserve the wallet refuses: ``key`` is a message key, ``params`` its values."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class WalletPolicy:
    per_spend_max_points: int = 300
    daily_spend_max_points: int = 600
    daily_spend_count_max: int = 5
    reserve_max_age_s: int = 7 * 24 * 3600
    time_zone: tzinfo = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Receipt:
    """A committed spend: ``key`` is its outbox idempotency key."""

    key: uuid.UUID
    reserve_id: str
    payer_id: str
    beneficiary_id: str
    amount: int
    remaining: int
    created_at: datetime


class Wallet:
    """Spends and reserves of this kiosk; methods block (database writer, HTTP): call from a worker.

    ``client`` may be None (offline-only kiosk): spending from stored reserves still works.
    ``on_commit`` (e.g. ``relay.wake``) runs after each committed outbox record.
    """

    def __init__(
        self,
        db: Database,
        client: ServerClient | None,
        policy: WalletPolicy | None = None,
        clock: Callable[[], datetime] = utc_now,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.policy = policy or WalletPolicy()
        self.clock = clock
        self.on_commit = on_commit

    # --- reserves ------------------------------------------------------------------------------

    def ensure_reserve(self, resident_id: str, amount: int) -> int:
        """Ask the server to hold up to ``amount`` points of the resident here; returns available.

        Does nothing when enough is already available. Raises PointsError(points.server_needed)
        without a client, PointsError(points.reserve_refused) when the server granted nothing,
        and the transport's SyncError subclasses when the server cannot be reached.
        """
        if amount <= 0:
            raise PointsError(INVALID_AMOUNT)
        have = self.available(resident_id)
        if have >= amount:
            return have
        if self.client is None:
            raise PointsError(SERVER_NEEDED)
        as_of = utc_now()  # compared with outbox delivered_at, which is real time too
        grant = self.client.reserve(ReserveRequest(key=uuid.uuid4(), resident_id=resident_id, amount=amount - have))
        granted_at = self.clock()
        self.db.write(lambda s: _store_grant(s, grant, as_of, granted_at))
        have = self.available(resident_id)
        if have <= 0:
            raise PointsError(RESERVE_REFUSED, balance=grant.balance)
        return have

    def available(self, resident_id: str) -> int:
        """Points this kiosk may still spend offline for ``resident_id`` (its usable reserve)."""
        with self.db.session() as session:
            reserve = self._usable_reserve(session, resident_id)
            return _remaining(session, reserve) if reserve is not None else 0

    def release(self, resident_id: str) -> list[str]:
        """Give back every open reserve of the resident (outbox RESERVE_RELEASE after its spends)."""

        def work(session: Session) -> list[str]:
            now = self.clock()
            released = []
            for reserve in session.scalars(
                select(Reserve).where(Reserve.resident_id == resident_id, Reserve.released_at.is_(None))
            ):
                reserve.released_at = now
                outbox.enqueue(session, RecordKind.RESERVE_RELEASE.value,
                               ReserveRelease(reserve_id=reserve.reserve_id).model_dump(mode="json"))
                released.append(reserve.reserve_id)
            return released

        released = self.db.write(work)
        if released and self.on_commit:
            self.on_commit()
        return released

    # --- spending ------------------------------------------------------------------------------

    def spend(self, payer_id: str, beneficiary_id: str, amount: int, purpose: str, merchant_id: str,
              operator_id: str | None = None) -> Receipt:
        """Spend from the payer's reserve within the caps; the receipt exists only after the commit.

        Raises PointsError with points.invalid_amount, points.offline_cap, points.no_reserve,
        points.reserve_expired, points.reserve_exceeded, points.daily_cap, points.daily_count_cap, or
        points.not_family (paying for someone outside the payer's family, by the pulled directory).
        """
        if amount <= 0:
            raise PointsError(INVALID_AMOUNT)
        policy = self.policy
        if amount > policy.per_spend_max_points:
            raise PointsError(OFFLINE_CAP, limit=policy.per_spend_max_points)

        def work(session: Session) -> Receipt:
            now = self.clock()
            reserve, remaining = self.check_spend(session, payer_id, beneficiary_id, amount, now)
            record = PointsSpend(payer_id=payer_id, beneficiary_id=beneficiary_id, amount=amount,
                                 purpose=purpose, merchant_id=merchant_id, reserve_id=reserve.reserve_id)
            key = outbox.enqueue(session, RecordKind.POINTS_SPEND.value, record.model_dump(mode="json"), operator_id)
            self.record_spend(session, reserve, key, payer_id, beneficiary_id, amount, purpose, merchant_id, now)
            return Receipt(key, reserve.reserve_id, payer_id, beneficiary_id, amount, remaining - amount, now)

        receipt = self.db.write(work)
        if self.on_commit:
            self.on_commit()
        return receipt

    def check_spend(self, session: Session, payer_id: str, beneficiary_id: str, amount: int,
                    now: datetime) -> tuple[Reserve, int]:
        """Inside a write transaction: the payer's usable reserve and what it holds, or PointsError
        (the checks of :meth:`spend`: family, reserve, expiry, what it holds, daily caps)."""
        if amount <= 0:
            raise PointsError(INVALID_AMOUNT)
        if amount > self.policy.per_spend_max_points:
            raise PointsError(OFFLINE_CAP, limit=self.policy.per_spend_max_points)
        if payer_id != beneficiary_id and not _same_family(session, payer_id, beneficiary_id):
            raise PointsError(NOT_FAMILY)  # the server would refuse it after the resident left
        reserve = self._open_reserve(session, payer_id)
        if reserve is None:
            raise PointsError(NO_RESERVE)
        if self._expired(reserve, now):
            raise PointsError(RESERVE_EXPIRED)
        remaining = _remaining(session, reserve)
        if amount > remaining:
            raise PointsError(RESERVE_EXCEEDED, available=remaining)
        count, total = self._spent_today(session, payer_id, now)
        if count >= self.policy.daily_spend_count_max:
            raise PointsError(DAILY_COUNT_CAP, limit=self.policy.daily_spend_count_max)
        if total + amount > self.policy.daily_spend_max_points:
            raise PointsError(DAILY_CAP, limit=self.policy.daily_spend_max_points,
                              left=max(0, self.policy.daily_spend_max_points - total))
        return reserve, remaining

    def record_spend(self, session: Session, reserve: Reserve, key: uuid.UUID, payer_id: str, beneficiary_id: str,
                     amount: int, purpose: str, merchant_id: str, now: datetime) -> None:
        """Inside the write transaction of the outbox record ``key`` that carries the spend: its domain
        row, which counts against the reserve and the daily caps until the server has it."""
        session.add(PointsSpendRow(
            outbox_key=str(key), reserve_id=reserve.reserve_id, payer_id=payer_id, beneficiary_id=beneficiary_id,
            amount=amount, purpose=purpose, merchant_id=merchant_id, created_at=now,
            local_day=now.astimezone(self.policy.time_zone).date().isoformat(),
        ))

    def spendable(self, session: Session, payer_id: str, now: datetime) -> int:
        """The most one offline spend of the payer may be now (reserve, per-spend and daily caps)."""
        reserve = self._open_reserve(session, payer_id)
        if reserve is None or self._expired(reserve, now):
            return 0
        count, total = self._spent_today(session, payer_id, now)
        if count >= self.policy.daily_spend_count_max:
            return 0
        return max(0, min(_remaining(session, reserve), self.policy.per_spend_max_points,
                          self.policy.daily_spend_max_points - total))

    # --- helpers -------------------------------------------------------------------------------

    def _spent_today(self, session: Session, payer_id: str, now: datetime) -> tuple[int, int]:
        day = now.astimezone(self.policy.time_zone).date().isoformat()
        count, total = session.execute(
            select(func.count(), func.coalesce(func.sum(PointsSpendRow.amount), 0))
            .where(PointsSpendRow.payer_id == payer_id, PointsSpendRow.local_day == day)
        ).one()
        return int(count), int(total)

    def _expired(self, reserve: Reserve, now: datetime) -> bool:
        too_old = now - reserve.granted_at > timedelta(seconds=self.policy.reserve_max_age_s)
        return too_old or now >= reserve.expires_at

    def _open_reserve(self, session: Session, resident_id: str) -> Reserve | None:
        """The newest unreleased reserve of the resident (expired or not)."""
        return session.scalars(
            select(Reserve).where(Reserve.resident_id == resident_id, Reserve.released_at.is_(None))
            .order_by(Reserve.granted_at.desc()).limit(1)
        ).first()

    def _usable_reserve(self, session: Session, resident_id: str) -> Reserve | None:
        reserve = self._open_reserve(session, resident_id)
        if reserve is None or self._expired(reserve, self.clock()):
            return None
        return reserve


def _same_family(session: Session, a: str, b: str) -> bool:
    """Both residents in the pulled directory with the same family id (unknown: not family)."""
    families = dict(session.execute(
        select(ResidentEntry.resident_id, ResidentEntry.family_id).where(ResidentEntry.resident_id.in_((a, b)))
    ).all())
    return families.get(a) is not None and families.get(a) == families.get(b)


def _remaining(session: Session, reserve: Reserve) -> int:
    """Grant minus local spends not inside it, capped by the newest pulled amount (never < 0)."""
    not_in_grant = session.scalar(
        select(func.coalesce(func.sum(PointsSpendRow.amount), 0))
        .join(OutboxRow, OutboxRow.key == PointsSpendRow.outbox_key)
        .where(PointsSpendRow.reserve_id == reserve.reserve_id, OutboxRow.state != DEAD)
        .where(or_(OutboxRow.state != DELIVERED, OutboxRow.delivered_at >= reserve.granted_as_of))
    ) or 0
    return max(0, min(reserve.granted_amount - not_in_grant, reserve.server_amount))


def _store_grant(session: Session, grant: ReserveGrant, as_of: datetime, granted_at: datetime) -> None:
    """Record a grant answer; a top-up of the same reserve replaces its amount and as-of time."""
    row = session.get(Reserve, grant.reserve_id)
    if row is None:
        session.add(Reserve(
            reserve_id=grant.reserve_id, resident_id=grant.resident_id, granted_amount=grant.amount,
            granted_as_of=as_of, granted_at=granted_at, server_amount=grant.amount, expires_at=grant.expires_at,
        ))
        return
    if grant.expires_at > row.expires_at:
        row.granted_at = granted_at  # the server renewed the reserve: its age starts again
    row.granted_amount, row.granted_as_of = grant.amount, as_of
    row.server_amount, row.expires_at = grant.amount, grant.expires_at
