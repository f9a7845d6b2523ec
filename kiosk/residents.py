"""Who is at the kiosk: a resident identified offline from their signed QR card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.identity import Identity, InvalidToken, Keyring, verify_token
from kiosk.protocol import TokenRole
from kiosk.sync.models import ResidentEntry
from kiosk.sync.pull import load_keyring_data, revoked_token_ids


@dataclass(frozen=True)
class Resident:
    """An identified resident as the kiosk may show them: masked name only, never a phone."""

    resident_id: str
    masked_name: str = ""  # "" until the directory has been pulled
    birth_year: int | None = None
    family_id: str | None = None
    community_id: str | None = None
    token_id: str = ""

    def age(self, today: date | None = None) -> int | None:
        if self.birth_year is None:
            return None
        return (today or date.today()).year - self.birth_year


def lookup(session: Session, resident_id: str) -> Resident | None:
    """The directory entry for ``resident_id`` (pulled from the server), or None."""
    row = session.get(ResidentEntry, resident_id)
    if row is None:
        return None
    return Resident(row.resident_id, row.masked_name, row.birth_year, row.family_id, row.community_id)


def family_of(session: Session, resident: Resident) -> list[Resident]:
    """The other members of ``resident``'s family in the pulled directory (empty when none)."""
    if not resident.family_id:
        return []
    rows = session.scalars(
        select(ResidentEntry).where(ResidentEntry.family_id == resident.family_id,
                                    ResidentEntry.resident_id != resident.resident_id)
        .order_by(ResidentEntry.resident_id)
    )
    return [Resident(r.resident_id, r.masked_name, r.birth_year, r.family_id, r.community_id) for r in rows]


def verify(session: Session, payload: str, roles: tuple[TokenRole, ...] = (TokenRole.RESIDENT,),
           now: int | None = None) -> Identity:
    """Verify a scanned payload against the pulled keys and deny-list; raises InvalidToken."""
    keys = Keyring.from_change_data(load_keyring_data(session))
    return verify_token(payload, keys, now=now, revoked=revoked_token_ids(session), roles=roles)


def identify(session: Session, payload: str, now: int | None = None) -> Resident:
    """The resident a scanned QR card names (verified offline); raises InvalidToken.

    A valid card of a resident the directory does not hold yet still identifies them (the
    server signed it); the masked name is then empty and filled after the next pull.
    """
    identity = verify(session, payload, now=now)
    found = lookup(session, identity.subject)
    if found is None:
        return Resident(identity.subject, token_id=identity.token_id)
    return Resident(found.resident_id, found.masked_name, found.birth_year, found.family_id,
                    found.community_id, token_id=identity.token_id)


__all__ = ["InvalidToken", "Resident", "family_of", "identify", "lookup", "verify"]
