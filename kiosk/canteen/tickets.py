"""Tickets on the kiosk: this kiosk's own key for offline tickets, and offline verification of any ticket.

How an offline ticket is signed and verified:

1. While online, the kiosk makes an Ed25519 key pair (kid ``T-<kiosk id>-<n>``), keeps the
   private key in its database and registers the public key with the server, which publishes it
   to every kiosk as a TICKET_KEY change. The private key never leaves the kiosk.
2. Offline, a booking's ticket (``KC1:...``) is signed with that key. Only a registered key
   signs: a kiosk that never registered one cannot book offline (``canteen.offline_limit``).
3. A counter verifies a ticket offline against the server's keys (PUBLIC_KEY, online tickets) and
   the pulled ticket keys (offline tickets). Ticket keys are never accepted for identity codes:
   the keyring used for identities holds only PUBLIC_KEY entries, and the prefixes differ.
4. The server verifies the ticket of an arriving offline booking against the booking kiosk's key.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.canteen import remote
from kiosk.canteen.link import Link
from kiosk.canteen.models import TicketKeyRow
from kiosk.protocol import ChangeKind, TicketClaims, TicketKeyRequest, parse_ticket, ticket_text
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import ServerCache, TrustedKey


def usable_key(session: Session) -> TicketKeyRow | None:
    """This kiosk's registered ticket key, or None."""
    return session.scalar(select(TicketKeyRow).where(TicketKeyRow.registered_at.is_not(None))
                          .order_by(TicketKeyRow.created_at.desc()).limit(1))


def ensure_ticket_key(link: Link) -> str:
    """Make (once) and register this kiosk's ticket key; returns its kid. Needs the server.

    Raises the transport's SyncError subclasses when the server cannot be reached, and
    LookupError before the kiosk is enrolled.
    """
    creds = link.credentials()
    if creds is None or link.client is None:
        raise LookupError("the kiosk is not enrolled")
    with link.db.session() as session:
        row = session.scalar(select(TicketKeyRow).order_by(TicketKeyRow.created_at.desc()).limit(1))
        if row is not None and row.registered_at is not None:
            return row.kid
        pending = (row.kid, row.public_key) if row is not None else None
    if pending is None:
        private = Ed25519PrivateKey.generate()
        public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        suffix = base64.b32encode(public_raw[:5]).decode("ascii")  # 8 characters of [A-Z2-7]
        kid = f"T-{creds.kiosk_id.upper()}-{suffix}"[:40]
        link.db.write(lambda s: s.add(TicketKeyRow(kid=kid, private_key=private.private_bytes_raw(),
                                                   public_key=public_raw, created_at=utc_now())))
        pending = (kid, public_raw)
    kid, public_raw = pending
    remote.ticket_key(link.client, TicketKeyRequest(kid=kid, public_key=base64.b64encode(public_raw).decode("ascii")))

    def registered(session: Session) -> None:
        session.get(TicketKeyRow, kid).registered_at = utc_now()

    link.db.write(registered)
    return kid


def sign(row: TicketKeyRow, claims: TicketClaims) -> str:
    private = Ed25519PrivateKey.from_private_bytes(row.private_key)
    return ticket_text(claims, private.sign(claims.signing_input()))


@dataclass(frozen=True)
class CheckedTicket:
    claims: TicketClaims
    offline: bool  # signed by a kiosk's ticket key (booked offline)


def _public_keys(session: Session) -> dict[str, tuple[bytes, int | None, bool]]:
    """kid -> (raw public key, not_after, is a kiosk ticket key) of every key that may sign tickets."""
    keys: dict[str, tuple[bytes, int | None, bool]] = {}
    for row in session.scalars(select(TrustedKey)):
        keys[row.kid] = (base64.b64decode(row.data["public_key"]), row.data.get("not_after"), False)
    for row in session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.TICKET_KEY.value)):
        keys[row.key] = (base64.b64decode(row.data["public_key"]), row.data.get("not_after"), True)
    own = usable_key(session)
    if own is not None:
        keys[own.kid] = (own.public_key, None, True)
    return keys


def check(session: Session, payload: str) -> CheckedTicket | None:
    """The ticket's claims when a known key signed it (offline check), else None (forged or unknown key)."""
    try:
        claims, signing_input, signature = parse_ticket(payload)
    except ValueError:
        return None
    entry = _public_keys(session).get(claims.key_id)
    if entry is None:
        return None
    public_raw, not_after, offline = entry
    if offline != claims.key_id.startswith("T-"):
        return None
    if not_after is not None and isinstance(not_after, int) and claims.issued_at > not_after:
        return None  # signed after the key was revoked
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, signing_input)
    except (InvalidSignature, ValueError):
        return None
    return CheckedTicket(claims, offline)
