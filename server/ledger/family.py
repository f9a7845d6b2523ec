"""Family redemption: a resident pays for a family member, or the family pays together (payer first)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.ledger.directory import ResidentDirectory, default_directory, same_family
from server.ledger.errors import LedgerError
from server.ledger.movements import (
    check_spend,
    emit_balance,
    find_by_key,
    lock_accounts,
    merchant_account,
    post,
    resident_account,
)

__all__ = ["same_family", "family_of", "spend_family"]


def family_of(session: Session, resident_id: str, directory: ResidentDirectory | None = None) -> list[str]:
    """The resident and their bound family members: the resident first, the others sorted."""
    d = directory or default_directory()
    fid = d.family_id(session, resident_id)
    others = [m for m in (d.family_members(session, fid) if fid else []) if m != resident_id]
    return [resident_id, *sorted(others)]


def spend_family(
    session: Session, payer_id: str, amount: int, purpose: str, merchant_id: str,
    operator_kind: str, operator_id: str | None, key: str | None = None, *,
    beneficiary_id: str | None = None, members: list[str] | None = None, kiosk_id: str | None = None,
    now: datetime | None = None, directory: ResidentDirectory | None = None,
) -> int:
    """Pay ``amount`` drawing on the payer's balance first, then the other family members'; returns the tx id.

    ``members`` picks and orders the others (each must be in the payer's family: ``points.not_family``,
    403); by default every bound member in id order. One transaction with one movement per drawn
    member, so a reversal refunds each their share. Raises ``points.insufficient`` (param
    ``family_balance``) when the family together has too little; nothing is written then.
    """
    beneficiary_id = beneficiary_id or payer_id
    check_spend(session, payer_id, beneficiary_id, amount, purpose, directory)
    if (existing := find_by_key(session, key)) is not None:
        if (existing.kind, existing.resident_id, existing.amount) != ("spend", payer_id, amount):
            raise LedgerError("points.key_reused", tx_id=existing.id)
        return existing.id
    if members is None:
        order = family_of(session, payer_id, directory)
    else:
        for member in members:
            if not same_family(session, payer_id, member, directory):
                raise LedgerError("points.not_family", status_code=403)
        order = [payer_id, *[m for m in dict.fromkeys(members) if m != payer_id]]
    shop = merchant_account(merchant_id)
    owners: dict[str, str | None] = {resident_account(m): m for m in order}
    owners[shop] = None
    accounts = lock_accounts(session, owners)
    legs: dict[str, int] = {}
    remaining = amount
    for member in order:
        take = min(remaining, accounts[resident_account(member)].balance)
        if take > 0:
            legs[resident_account(member)] = -take
            remaining -= take
    if remaining > 0:
        family_balance = sum(accounts[resident_account(m)].balance for m in order)
        raise LedgerError("points.insufficient", family_balance=family_balance, amount=amount)
    legs[shop] = amount
    tx = post(session, accounts, legs, kind="spend", amount=amount, operator_kind=operator_kind,
              operator_id=operator_id, now=now, resident_id=payer_id, beneficiary_id=beneficiary_id,
              category=purpose, merchant_id=merchant_id, kiosk_id=kiosk_id, idempotency_key=key)
    for account_id in legs:
        if account_id != shop:
            emit_balance(session, accounts[account_id].owner_id, accounts[account_id].balance)
    return tx.id
