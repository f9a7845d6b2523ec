"""Offline reserves: points moved, while online, from a resident to a kiosk's escrow account, spent offline.

Default policy (:data:`RESERVE_POLICY`, mirrored by the kiosk's offline wallet):

- at most 300 points per offline spend (30 yuan: a canteen meal, a haircut, a venue hour);
- at most 600 points held per resident per kiosk (a grant tops the open reserve up to this);
- the kiosk spends at most 600 points and 5 times per resident per local day offline
  (kiosk-enforced; the server bounds the loss by the reserve itself and the per-spend cap);
- a reserve is spendable for 7 days after it opened; the server gives back what is left after
  one more day of grace (:func:`release_expired`), so spends queued offline can still arrive;
- residents aged 85 or more get at most 300 points held per kiosk: offline nobody can check who
  shows a code, and the oldest residents are the likeliest to lose a printed code or have it
  used by someone else. Online spending is not limited by this.

The kiosk can never spend more than it was granted: a spend beyond what its reserve holds is
refused (``points.reserve_exceeded``). A spend that arrives after its reserve was closed is
charged to the payer's own balance if it covers it, else refused (``points.reserve_closed``).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, ReserveGrant
from server.changes import record_change
from server.db import utc_now
from server.ledger.directory import ResidentDirectory, default_directory
from server.ledger.errors import LedgerError
from server.ledger.models import Account, Reserve
from server.ledger.movements import (
    check_spend,
    emit_balance,
    find_by_key,
    lock_accounts,
    merchant_account,
    post,
    reserve_account,
    resident_account,
)

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ReservePolicy:
    """Caps of offline spending; see the module docstring for why each default was chosen."""

    per_spend_max_points: int = 300
    reserve_max_points: int = 600
    daily_spend_max_points: int = 600
    daily_spend_count_max: int = 5
    max_age_s: int = 7 * 24 * 3600
    settle_grace_s: int = 24 * 3600
    elder_age_years: int = 85
    elder_reserve_max_points: int = 300

    def reserve_cap(self, age_years: int | None) -> int:
        """Points a kiosk may hold for a resident of ``age_years`` (None: unknown age)."""
        if age_years is not None and age_years >= self.elder_age_years:
            return min(self.reserve_max_points, self.elder_reserve_max_points)
        return self.reserve_max_points

    def as_config(self) -> dict[str, int]:
        """The caps as plain settings for the kiosk configuration feed."""
        return asdict(self)


RESERVE_POLICY = ReservePolicy()


def age_years(session: Session, resident_id: str, now: datetime, directory: ResidentDirectory | None) -> int | None:
    """Age in whole years on ``now``'s local date, or None when the birth date is unknown."""
    born = (directory or default_directory()).birth_date(session, resident_id)
    if born is None:
        return None
    today = now.astimezone(LOCAL_TZ).date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _grant(session: Session, reserve: Reserve) -> ReserveGrant:
    held = session.scalar(select(Account.balance).where(Account.id == reserve.account_id)) or 0
    own = session.scalar(select(Account.balance).where(Account.id == resident_account(reserve.resident_id))) or 0
    return ReserveGrant(
        reserve_id=reserve.id, resident_id=reserve.resident_id, kiosk_id=reserve.kiosk_id,
        amount=int(held) if reserve.status == "open" else 0, balance=int(own), expires_at=reserve.expires_at,
    )


def _emit_reserve(session: Session, grant: ReserveGrant) -> None:
    record_change(session, ChangeKind.RESERVE, grant.reserve_id, grant.model_dump(mode="json"),
                  audience_kiosk_id=grant.kiosk_id)


def _find_open(session: Session, resident_id: str, kiosk_id: str) -> Reserve | None:
    return session.scalars(
        select(Reserve).where(Reserve.resident_id == resident_id, Reserve.kiosk_id == kiosk_id,
                              Reserve.status == "open").execution_options(populate_existing=True)
    ).one_or_none()


def grant_reserve(
    session: Session, *, kiosk_id: str, resident_id: str, amount: int, key: UUID | str,
    now: datetime | None = None, policy: ReservePolicy = RESERVE_POLICY, directory: ResidentDirectory | None = None,
) -> ReserveGrant:
    """Move min(amount, room under the cap, own balance) into the (resident, kiosk) reserve; caller commits.

    Tops up the open reserve (renewing its expiry if it had expired), or opens one. The same
    ``key`` again answers the reserve's current state without moving more. ``amount`` in the
    answer is what the kiosk now holds (0 when nothing could be granted). Raises LedgerError
    ``points.amount_invalid`` or ``points.key_reused``.
    """
    now = now or utc_now()
    key = str(key)
    if (existing := find_by_key(session, key)) is not None:
        reserve = session.get(Reserve, existing.reserve_id) if existing.kind == "reserve" else None
        if reserve is None or (reserve.resident_id, reserve.kiosk_id) != (resident_id, kiosk_id):
            raise LedgerError("points.key_reused", tx_id=existing.id)
        return _grant(session, reserve)
    if amount <= 0:
        raise LedgerError("points.amount_invalid", amount=amount)
    res = resident_account(resident_id)
    reserve = _find_open(session, resident_id, kiosk_id)
    owners: dict[str, str | None] = {res: resident_id}
    if reserve is not None:
        owners[reserve.account_id] = resident_id
    accounts = lock_accounts(session, owners)
    reserve = _find_open(session, resident_id, kiosk_id)  # re-read under the resident's lock
    if reserve is None:
        rid = uuid.uuid4().hex
        reserve = Reserve(id=rid, resident_id=resident_id, kiosk_id=kiosk_id, account_id=reserve_account(rid),
                          status="open", opened_at=now, expires_at=now + timedelta(seconds=policy.max_age_s))
        accounts.update(lock_accounts(session, {reserve.account_id: resident_id}))
        session.add(reserve)
        session.flush()
    elif reserve.account_id not in accounts:  # opened concurrently (rare): lock it too
        accounts.update(lock_accounts(session, {reserve.account_id: resident_id}))
    if reserve.expires_at <= now:
        # Renew, never release here: spends the kiosk made from this reserve while it was valid
        # may still be queued offline; releasing would refuse them (a meal nobody paid for).
        reserve.expires_at = now + timedelta(seconds=policy.max_age_s)
    held = accounts[reserve.account_id].balance
    cap = policy.reserve_cap(age_years(session, resident_id, now, directory))
    move = max(0, min(amount, cap - held, accounts[res].balance))
    if move > 0:
        post(session, accounts, {res: -move, reserve.account_id: move}, kind="reserve", amount=move,
             operator_kind="kiosk", operator_id=kiosk_id, now=now, resident_id=resident_id, category="reserve",
             kiosk_id=kiosk_id, reserve_id=reserve.id, idempotency_key=key)
        emit_balance(session, resident_id, accounts[res].balance)
    grant = _grant(session, reserve)
    _emit_reserve(session, grant)
    return grant


def release_reserve(
    session: Session, reserve_id: str, *, kiosk_id: str | None = None, now: datetime | None = None,
    operator_kind: str = "kiosk", operator_id: str | None = None,
) -> ReserveGrant:
    """Give what is left of a reserve back to its resident and close it; a closed one answers the same.

    ``kiosk_id``, when given, must own the reserve (``points.reserve_foreign``, 403). Raises
    ``points.reserve_unknown`` for an unknown id. Caller commits.
    """
    now = now or utc_now()
    reserve = session.get(Reserve, reserve_id)
    if reserve is None:
        raise LedgerError("points.reserve_unknown", reserve_id=reserve_id)
    if kiosk_id is not None and reserve.kiosk_id != kiosk_id:
        raise LedgerError("points.reserve_foreign", status_code=403, reserve_id=reserve_id)
    res = resident_account(reserve.resident_id)
    accounts = lock_accounts(session, {reserve.account_id: reserve.resident_id, res: reserve.resident_id})
    session.refresh(reserve)  # status as of now, under the account locks
    if reserve.status == "closed":
        return _grant(session, reserve)
    rest = accounts[reserve.account_id].balance
    if rest > 0:
        post(session, accounts, {reserve.account_id: -rest, res: rest}, kind="release", amount=rest,
             operator_kind=operator_kind, operator_id=operator_id or reserve.kiosk_id, now=now,
             resident_id=reserve.resident_id, category="release", kiosk_id=reserve.kiosk_id, reserve_id=reserve.id)
        emit_balance(session, reserve.resident_id, accounts[res].balance)
    reserve.status, reserve.closed_at = "closed", now
    session.flush()
    grant = _grant(session, reserve)
    _emit_reserve(session, grant)
    return grant


def release_expired(session: Session, now: datetime | None = None, policy: ReservePolicy = RESERVE_POLICY) -> list[str]:
    """Release every open reserve past its expiry plus the settle grace; returns their ids. Caller commits."""
    now = now or utc_now()
    cutoff = now - timedelta(seconds=policy.settle_grace_s)
    ids = session.scalars(
        select(Reserve.id).where(Reserve.status == "open", Reserve.expires_at <= cutoff).order_by(Reserve.id)
    ).all()
    for reserve_id in ids:
        release_reserve(session, reserve_id, now=now, operator_kind="system", operator_id="release_expired")
    return list(ids)


def spend_from_reserve(
    session: Session, *, reserve_id: str, kiosk_id: str, payer_id: str, beneficiary_id: str, amount: int,
    purpose: str, merchant_id: str, key: str | None = None, operator_kind: str = "kiosk",
    operator_id: str | None = None, now: datetime | None = None, policy: ReservePolicy = RESERVE_POLICY,
    directory: ResidentDirectory | None = None,
) -> dict[str, Any]:
    """Pay a merchant from the kiosk's reserve (an offline spend arriving); returns {tx_id, balance, reserve}.

    Raises LedgerError ``points.reserve_unknown``, ``points.reserve_foreign`` (403: another
    kiosk's or resident's reserve), ``points.offline_cap`` (above the per-spend cap),
    ``points.reserve_exceeded`` (more than it holds), ``points.reserve_closed`` (closed and the
    payer's own balance does not cover it), ``points.not_family``. Caller commits.
    """
    reserve = session.get(Reserve, reserve_id)
    if reserve is None:
        raise LedgerError("points.reserve_unknown", reserve_id=reserve_id)
    if reserve.kiosk_id != kiosk_id or reserve.resident_id != payer_id:
        raise LedgerError("points.reserve_foreign", status_code=403, reserve_id=reserve_id)
    check_spend(session, payer_id, beneficiary_id, amount, purpose, directory)
    if amount > policy.per_spend_max_points:
        raise LedgerError("points.offline_cap", cap=policy.per_spend_max_points, amount=amount)
    if (existing := find_by_key(session, key)) is not None:
        if (existing.kind, existing.resident_id, existing.amount) != ("spend", payer_id, amount):
            raise LedgerError("points.key_reused", tx_id=existing.id)
        grant = _grant(session, reserve)
        return {"tx_id": existing.id, "balance": grant.balance, "reserve": grant.model_dump(mode="json")}
    res, shop = resident_account(payer_id), merchant_account(merchant_id)
    accounts = lock_accounts(session, {reserve.account_id: payer_id, res: payer_id, shop: None})
    session.refresh(reserve)
    source = reserve.account_id
    if reserve.status == "closed":
        if accounts[res].balance < amount:
            raise LedgerError("points.reserve_closed", reserve_id=reserve_id, amount=amount)
        source = res  # late arrival: charge the points that release gave back
    elif accounts[source].balance < amount:
        raise LedgerError("points.reserve_exceeded", held=accounts[source].balance, amount=amount)
    tx = post(session, accounts, {source: -amount, shop: amount}, kind="spend", amount=amount,
              operator_kind=operator_kind, operator_id=operator_id or kiosk_id, now=now, resident_id=payer_id,
              beneficiary_id=beneficiary_id, category=purpose, merchant_id=merchant_id, kiosk_id=kiosk_id,
              reserve_id=reserve_id, idempotency_key=key)
    if source == res:
        emit_balance(session, payer_id, accounts[res].balance)
    grant = _grant(session, reserve)
    _emit_reserve(session, grant)
    return {"tx_id": tx.id, "balance": grant.balance, "reserve": grant.model_dump(mode="json")}
