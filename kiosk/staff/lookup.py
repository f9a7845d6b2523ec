"""Help desk look-up of a resident: by QR card (offline), by phone digits and name or by family (online)."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_
from kiosk.identity import InvalidToken
from kiosk.protocol import ResidentLookupAnswer, ResidentLookupRequest
from kiosk.residents import Resident, identify
from kiosk.sync.errors import BadRequest, Refused, SyncError

NEEDS_SERVER = N_("staff.lookup_needs_server")  # no server configured or the kiosk is not enrolled
DIGITS_NEEDED = N_("staff.lookup_digits")  # the last four digits of the phone are needed
# The server's refusals of a look-up (declared here so the catalogues carry them).
NOT_ALLOWED = N_("staff.not_allowed")
RESIDENT_UNKNOWN = N_("staff.resident_unknown")
LOOKUP_EMPTY = N_("staff.lookup_empty")
UNREACHABLE = N_("staff.lookup_offline")  # the server cannot be reached now (nothing was saved or queued)


class LookupFailed(Exception):
    """A failed look-up: ``key`` is a message key (the server's code or a sync key), ``params`` its values."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _resident(match: Any) -> Resident:
    return Resident(match.resident_id, match.masked_name, match.birth_year, match.family_id, match.community_id)


def _ask(client: Any, request: ResidentLookupRequest) -> tuple[list[Resident], bool]:
    if client is None:
        raise LookupFailed(NEEDS_SERVER)
    try:
            answer = client.call("POST", "/staff/lookup", ResidentLookupAnswer, body=request)
    except (Refused, BadRequest) as exc:  # the server's own answer: staff.not_allowed, auth.revoked, ...
        raise LookupFailed(exc.key, **exc.params) from None
    except SyncError:  # offline, busy, broken: a look-up is not queued, so say so plainly
        raise LookupFailed(UNREACHABLE) from None
    return [_resident(m) for m in answer.matches], answer.more


def by_phone(client: Any, operator_id: str, phone_last4: str, name: str = "") -> tuple[list[Resident], bool]:
    """Residents of this community whose phone ends in ``phone_last4`` (and whose name starts with
    ``name`` when given), masked; and whether there were more than the server sent.

    Blocking HTTP (a worker thread). Raises LookupFailed with a message key.
    """
    digits = phone_last4.strip()
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
        raise LookupFailed(DIGITS_NEEDED)
    request = ResidentLookupRequest(operator_id=operator_id, phone_last4=digits, name=name.strip()[:50] or None)
    return _ask(client, request)


def family(client: Any, operator_id: str, resident_id: str) -> list[Resident]:
    """``resident_id`` and the members of their family, masked (blocking HTTP; LookupFailed)."""
    return _ask(client, ResidentLookupRequest(operator_id=operator_id, family_of=resident_id))[0]


def by_card(db: Any, payload: str) -> Resident:
    """The resident a scanned card names, verified offline; LookupFailed with the card's refusal key."""
    with db.session() as session:
        try:
            return identify(session, payload)
        except InvalidToken as exc:
            raise LookupFailed(exc.message_key) from None


def client_of(runtime: Any) -> Any:
    """The runtime's server client with the kiosk's credentials, or None without a server."""
    sync = getattr(runtime, "sync", None)
    return getattr(sync, "client", None)
