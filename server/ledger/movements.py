"""Posting to the ledger: award, spend, reverse, balances, a resident's history and the invariants.

Every function works inside the caller's transaction and never commits. Accounts a transaction
touches are locked together in one global order (:func:`lock_order`; ``SELECT ... FOR UPDATE``
on PostgreSQL, SQLite already serialises writers with ``BEGIN IMMEDIATE``), so concurrent
transactions do not deadlock on each other and a balance is checked and changed under one lock. A refusal raises
:class:`server.ledger.errors.LedgerError` before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.protocol import POINTS_PER_YUAN, ChangeKind
from server.changes import record_change
from server.db import utc_now
from server.ledger.directory import ResidentDirectory, same_family
from server.ledger.errors import LedgerError
from server.ledger.models import DIMENSIONS, OPERATOR_KINDS, Account, LedgerTx, Movement, Reserve

DEFAULT_ISSUER = "issuer:subdistrict"
PURPOSES = ("canteen", "shop", "activity", "venue", "haircut", "other")
NOT_REVERSIBLE = ("reserve", "release", "reversal")


def resident_account(resident_id: str) -> str:
    return f"resident:{resident_id}"


def merchant_account(merchant_id: str) -> str:
    return f"merchant:{merchant_id}"


def reserve_account(reserve_id: str) -> str:
    return f"reserve:{reserve_id}"


def _kind_of(account_id: str) -> str:
    kind, sep, rest = account_id.partition(":")
    if not sep or not rest or kind not in ("resident", "reserve", "merchant", "issuer"):
        raise LedgerError("points.account_invalid", account_id=account_id)
    return kind


def lock_order():
    """The one order every transaction locks accounts in: shared accounts, then per resident their own
    account before their reserves. A grant may lock a reserve after its resident without deadlocking."""
    return (func.coalesce(Account.owner_id, ""), Account.kind == "reserve", Account.id)


# Statements built once, so SQLAlchemy's compiled cache serves them (a dialect insert built per
# call with .values(rows) was compiled again every time).
_NEW_ACCOUNTS = {
    "postgresql": pg_insert(Account).on_conflict_do_nothing(index_elements=["id"]),
    "sqlite": sqlite_insert(Account).on_conflict_do_nothing(index_elements=["id"]),
}
_INSERT_TX = LedgerTx.__table__.insert()
_INSERT_MOVEMENTS = Movement.__table__.insert()
_SET_BALANCE = (
    Account.__table__.update()
    .where(Account.__table__.c.id == bindparam("b_id"))
    .values(balance=bindparam("b_balance"))
)
_TX_BY_KEY = select(*LedgerTx.__table__.c).where(LedgerTx.__table__.c.idempotency_key == bindparam("key"))
# session.info: accounts this transaction has locked (id -> Account); see lock_accounts.
_LOCKED = "ledger.locked_accounts"


def lock_accounts(session: Session, owners: dict[str, str | None]) -> dict[str, Account]:
    """Create missing accounts, then lock all of ``owners`` (account id -> owner resident) in :func:`lock_order`.

    Returns the rows by id, freshly read when first locked. Must run before any balance is read
    for a decision. Rows locked earlier in the same transaction are served from a per-transaction
    cache (the lock is held until commit; any rollback, also of a savepoint, empties the cache).
    """
    locked: dict[str, Account] = session.info.setdefault(_LOCKED, {})
    ids = sorted(a for a in owners if a not in locked)
    if ids:
        present = set(session.scalars(select(Account.id).where(Account.id.in_(ids))))
        now = utc_now()
        rows = [{"id": a, "kind": _kind_of(a), "owner_id": owners[a], "balance": 0, "created_at": now}
                for a in ids if a not in present]
        if rows:  # only new ids: an upsert on an existing row would wait for its lock holder
            dialect = session.get_bind().dialect.name
            if dialect not in _NEW_ACCOUNTS:  # pragma: no cover - only SQLite and PostgreSQL are supported
                raise RuntimeError(f"unsupported database {dialect}")
            session.execute(_NEW_ACCOUNTS[dialect], rows)
        for acct in session.scalars(
            select(Account).where(Account.id.in_(ids)).order_by(*lock_order())
            .with_for_update().execution_options(populate_existing=True)
        ):
            locked[acct.id] = acct
    return {a: locked[a] for a in owners if a in locked}


@event.listens_for(Session, "after_soft_rollback")
def _forget_locks_on_rollback(session: Session, _transaction: SessionTransaction) -> None:
    # A rolled-back savepoint may have taken row locks and changed balances with Core updates
    # the ORM does not know about: forget the rows and re-read them when next locked.
    for acct in session.info.pop(_LOCKED, {}).values():
        if acct in session:
            session.expire(acct, ["balance"])


@event.listens_for(Session, "after_transaction_end")
def _forget_locks_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_LOCKED, None)


@dataclass(frozen=True)
class PostedTx:
    """A transaction just written by :func:`post`."""

    id: int


def post(
    session: Session, accounts: dict[str, Account], legs: dict[str, int], *, kind: str, amount: int,
    operator_kind: str, operator_id: str | None, now: datetime | None = None, **fields: Any,
) -> PostedTx:
    """Write one transaction with ``legs`` (account id -> signed points) on already locked ``accounts``.

    Checks that the legs sum to 0 and that no non-issuer balance would go negative
    (``points.insufficient``); updates the cached balances (rows and the ``accounts`` objects).
    Append-only rows are written with Core inserts after flushing pending ORM changes.
    """
    legs = {a: v for a, v in legs.items() if v != 0}
    if sum(legs.values()) != 0 or len(legs) < 2:
        raise ValueError(f"unbalanced ledger transaction {legs}")
    if operator_kind not in OPERATOR_KINDS:
        raise LedgerError("points.operator_invalid", operator_kind=operator_kind)
    for account_id, delta in legs.items():
        acct = accounts[account_id]
        if acct.kind != "issuer" and acct.balance + delta < 0:
            raise LedgerError("points.insufficient", balance=acct.balance, amount=-delta)
    session.flush()
    conn = session.connection()
    tx_id = conn.execute(_INSERT_TX, {
        "kind": kind, "amount": amount, "operator_kind": operator_kind, "operator_id": operator_id,
        "yuan_rate": POINTS_PER_YUAN, "created_at": now or utc_now(), **fields,
    }).inserted_primary_key[0]
    conn.execute(_INSERT_MOVEMENTS, [{"tx_id": tx_id, "account_id": a, "amount": v} for a, v in legs.items()])
    balances = {a: accounts[a].balance + v for a, v in legs.items()}
    conn.execute(_SET_BALANCE, [{"b_id": a, "b_balance": b} for a, b in balances.items()])
    for account_id, new_balance in balances.items():
        set_committed_value(accounts[account_id], "balance", new_balance)
    return PostedTx(int(tx_id))


def find_by_key(session: Session, key: str | None) -> Row | None:
    """The transaction recorded with idempotency ``key`` (a row with LedgerTx's columns), if any."""
    if key is None:
        return None
    session.flush()
    return session.connection().execute(_TX_BY_KEY, {"key": key}).one_or_none()


def _replay(existing: Row, kind: str, resident_id: str, amount: int) -> int:
    if (existing.kind, existing.resident_id, existing.amount) != (kind, resident_id, amount):
        raise LedgerError("points.key_reused", tx_id=existing.id)
    return existing.id


def award(
    session: Session, resident_id: str, points: int, dimension: str, reason: str,
    operator_kind: str, operator_id: str | None, key: str | None = None, *,
    rule: str | None = None, hours: float | None = None, now: datetime | None = None,
    issuer: str = DEFAULT_ISSUER,
) -> int:
    """Give ``points`` from the issuer to a resident in one of the five dimensions; returns the tx id.

    The same ``key`` again returns the first transaction (``points.key_reused`` if it differs).
    Raises LedgerError ``points.amount_invalid`` or ``points.dimension_unknown``.
    """
    if points <= 0:
        raise LedgerError("points.amount_invalid", amount=points)
    if dimension not in DIMENSIONS:
        raise LedgerError("points.dimension_unknown", dimension=dimension)
    if (existing := find_by_key(session, key)) is not None:
        return _replay(existing, "award", resident_id, points)
    res = resident_account(resident_id)
    accounts = lock_accounts(session, {res: resident_id, issuer: None})
    tx = post(session, accounts, {issuer: -points, res: points}, kind="award", amount=points,
              operator_kind=operator_kind, operator_id=operator_id, now=now, resident_id=resident_id,
              category=dimension, reason=reason, rule=rule, hours=hours, idempotency_key=key)
    emit_balance(session, resident_id, accounts[res].balance)
    return tx.id


def check_spend(session: Session, payer_id: str, beneficiary_id: str, amount: int, purpose: str,
                directory: ResidentDirectory | None = None) -> None:
    """Refuse a spend that is malformed or pays for someone outside the payer's family."""
    if amount <= 0:
        raise LedgerError("points.amount_invalid", amount=amount)
    if purpose not in PURPOSES:
        raise LedgerError("points.purpose_unknown", purpose=purpose)
    if not same_family(session, payer_id, beneficiary_id, directory):
        raise LedgerError("points.not_family", status_code=403)


def spend(
    session: Session, payer_id: str, amount: int, purpose: str, merchant_id: str,
    operator_kind: str, operator_id: str | None, key: str | None = None, *,
    beneficiary_id: str | None = None, kiosk_id: str | None = None, now: datetime | None = None,
    directory: ResidentDirectory | None = None,
) -> int:
    """Pay ``amount`` from the payer's own balance to a merchant; returns the tx id.

    ``beneficiary_id`` (default the payer) may differ only within one family. Raises LedgerError
    ``points.insufficient``, ``points.not_family`` (403), ``points.purpose_unknown``, ...
    """
    return spend_with_balance(session, payer_id, amount, purpose, merchant_id, operator_kind, operator_id, key,
                              beneficiary_id=beneficiary_id, kiosk_id=kiosk_id, now=now, directory=directory)[0]


def spend_with_balance(
    session: Session, payer_id: str, amount: int, purpose: str, merchant_id: str,
    operator_kind: str, operator_id: str | None, key: str | None = None, *,
    beneficiary_id: str | None = None, kiosk_id: str | None = None, now: datetime | None = None,
    directory: ResidentDirectory | None = None,
) -> tuple[int, int]:
    """:func:`spend`, also returning the payer's balance after it: ``(tx_id, balance)``."""
    beneficiary_id = beneficiary_id or payer_id
    check_spend(session, payer_id, beneficiary_id, amount, purpose, directory)
    if (existing := find_by_key(session, key)) is not None:
        return _replay(existing, "spend", payer_id, amount), resident_balance(session, payer_id)
    res, shop = resident_account(payer_id), merchant_account(merchant_id)
    accounts = lock_accounts(session, {res: payer_id, shop: None})
    tx = post(session, accounts, {res: -amount, shop: amount}, kind="spend", amount=amount,
              operator_kind=operator_kind, operator_id=operator_id, now=now, resident_id=payer_id,
              beneficiary_id=beneficiary_id, category=purpose, merchant_id=merchant_id, kiosk_id=kiosk_id,
              idempotency_key=key)
    emit_balance(session, payer_id, accounts[res].balance)
    return tx.id, accounts[res].balance


def reverse(
    session: Session, tx_id: int, operator_kind: str, operator_id: str | None, reason: str,
    key: str | None = None, *, now: datetime | None = None,
) -> int:
    """Post the exact opposite of transaction ``tx_id``; returns the reversal's tx id.

    A spend from a reserve is refunded to the resident's own account (the reserve may be closed).
    Raises LedgerError ``points.tx_unknown``, ``points.not_reversible`` (reserve moves and
    reversals), ``points.already_reversed``, or ``points.insufficient`` (the points are gone).
    """
    if (existing := find_by_key(session, key)) is not None:
        if existing.reverses_tx_id != tx_id:
            raise LedgerError("points.key_reused", tx_id=existing.id)
        return existing.id
    original = session.get(LedgerTx, tx_id)
    if original is None:
        raise LedgerError("points.tx_unknown", tx_id=tx_id)
    if original.kind in NOT_REVERSIBLE:
        raise LedgerError("points.not_reversible", tx_id=tx_id, kind=original.kind)
    legs: dict[str, int] = {}
    owners: dict[str, str | None] = {}
    rows = session.execute(
        select(Movement.account_id, Movement.amount, Account.kind, Account.owner_id)
        .join(Account, Account.id == Movement.account_id).where(Movement.tx_id == tx_id)
    ).all()
    for account_id, amount, kind, owner in rows:
        if kind == "reserve":  # refund to the resident, never into a reserve the kiosk may have let go
            account_id, kind = resident_account(owner), "resident"
        legs[account_id] = legs.get(account_id, 0) - amount
        owners[account_id] = owner if kind == "resident" else None
    accounts = lock_accounts(session, owners)
    if session.scalar(select(LedgerTx.id).where(LedgerTx.reverses_tx_id == tx_id)) is not None:
        raise LedgerError("points.already_reversed", tx_id=tx_id)
    tx = post(session, accounts, legs, kind="reversal", amount=original.amount, operator_kind=operator_kind,
              operator_id=operator_id, now=now, resident_id=original.resident_id, category=original.category,
              reason=reason, reverses_tx_id=tx_id, idempotency_key=key)
    for account_id, acct in accounts.items():
        if acct.kind == "resident":
            emit_balance(session, acct.owner_id, acct.balance)
    return tx.id


def balance(session: Session, account_id: str) -> int:
    """Cached balance of ``account_id`` (0 for an account that never moved)."""
    value = session.scalar(select(Account.balance).where(Account.id == account_id))
    return int(value or 0)


def resident_balance(session: Session, resident_id: str) -> int:
    """The resident's own spendable balance (points held in reserves not included)."""
    return balance(session, resident_account(resident_id))


def emit_balance(session: Session, resident_id: str, points: int) -> None:
    """Tell every kiosk the resident's new balance (a BALANCE change in this transaction)."""
    record_change(session, ChangeKind.BALANCE, resident_id, {"resident_id": resident_id, "balance": points})


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a resident's statement: when, what (kind/category), where, signed points."""

    tx_id: int
    when: datetime
    kind: str
    category: str | None
    where: str | None
    points: int
    reversed: bool


def history(session: Session, resident_id: str, limit: int = 50) -> list[HistoryEntry]:
    """The resident's last ``limit`` transactions, newest first, seen from their own and reserve accounts.

    Moves between the resident and their reserves net to 0 and are left out: the statement shows
    awards, spends (also those paid from a reserve offline), reversals and family payments.
    """
    net = func.sum(Movement.amount).label("net")
    rows = session.execute(
        select(LedgerTx, net)
        .join(Movement, Movement.tx_id == LedgerTx.id)
        .join(Account, Account.id == Movement.account_id)
        .where(Account.owner_id == resident_id)
        .group_by(LedgerTx.id)
        .having(func.sum(Movement.amount) != 0)
        .order_by(LedgerTx.id.desc())
        .limit(limit)
    ).all()
    ids = [tx.id for tx, _ in rows]
    reversed_ids = set(session.scalars(select(LedgerTx.reverses_tx_id).where(LedgerTx.reverses_tx_id.in_(ids))))
    return [
        HistoryEntry(tx.id, tx.created_at, tx.kind, tx.category, tx.merchant_id or tx.kiosk_id or tx.operator_kind,
                     int(points), tx.id in reversed_ids)
        for tx, points in rows
    ]


def check_invariants(session: Session) -> list[str]:
    """Problems found in the whole ledger (empty when sound); ids only, no personal data.

    Checks: every transaction has >= 2 movements summing to 0; every cached balance equals the
    sum of its movements; no non-issuer account below 0; all accounts sum to 0; no idempotency
    key twice; no transaction reversed twice; closed reserves hold nothing.
    """
    problems: list[str] = []
    for tx_id, total, count in session.execute(
        select(Movement.tx_id, func.sum(Movement.amount), func.count()).group_by(Movement.tx_id)
        .having((func.sum(Movement.amount) != 0) | (func.count() < 2))
    ):
        problems.append(f"tx {tx_id}: {count} movements summing to {total}")
    orphans = session.scalar(
        select(func.count()).select_from(LedgerTx).where(~select(Movement.id).where(Movement.tx_id == LedgerTx.id).exists())
    )
    if orphans:
        problems.append(f"{orphans} transactions without movements")
    sums = dict(session.execute(select(Movement.account_id, func.sum(Movement.amount)).group_by(Movement.account_id)).all())
    for acct in session.execute(select(Account.id, Account.kind, Account.balance)):  # rows, not cached objects
        moved = int(sums.get(acct.id) or 0)
        if acct.balance != moved:
            problems.append(f"account {acct.id}: cached {acct.balance} != movements {moved}")
        if acct.kind != "issuer" and acct.balance < 0:
            problems.append(f"account {acct.id}: negative balance {acct.balance}")
    total = int(session.scalar(select(func.coalesce(func.sum(Movement.amount), 0))) or 0)
    if total != 0:
        problems.append(f"points not conserved: all accounts sum to {total}")
    for key, n in session.execute(
        select(LedgerTx.idempotency_key, func.count()).where(LedgerTx.idempotency_key.is_not(None))
        .group_by(LedgerTx.idempotency_key).having(func.count() > 1)
    ):
        problems.append(f"idempotency key {key} used {n} times")
    for tx_id, n in session.execute(
        select(LedgerTx.reverses_tx_id, func.count()).where(LedgerTx.reverses_tx_id.is_not(None))
        .group_by(LedgerTx.reverses_tx_id).having(func.count() > 1)
    ):
        problems.append(f"tx {tx_id} reversed {n} times")
    for reserve_id, held in session.execute(
        select(Reserve.id, Account.balance).join(Account, Account.id == Reserve.account_id)
        .where(Reserve.status == "closed", Account.balance != 0)
    ):
        problems.append(f"closed reserve {reserve_id} still holds {held}")
    return problems
