"""Staff and technician sign-in by PIN (with lockout) or by a signed staff/technician QR card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from kiosk.config import KioskConfig
from kiosk.i18n import N_
from kiosk.identity import InvalidToken, Reason
from kiosk.protocol import TokenRole
from kiosk.residents import verify
from kiosk.staff.directory import lookup_staff
from kiosk.staff.lockout import LOCK_AFTER_FAILURES, PinGate
from kiosk.storage.column_types import utc_now
from kiosk.storage.meta import get_meta
from kiosk.sync.state import COMMUNITY_ID

ROLES = ("staff", "technician")
TECHNICIAN_GATE = "technician"

PIN_WRONG = N_("ops.pin_wrong")  # {left}: tries left before the lock
LOCKED_SECONDS = N_("ops.locked_seconds")  # {seconds}
LOCKED_MINUTES = N_("ops.locked_minutes")  # {minutes}
PIN_NOT_SET = N_("ops.pin_not_set")
STAFF_UNKNOWN = N_("ops.staff_unknown")
STAFF_ID_NEEDED = N_("ops.staff_id_needed")
OTHER_COMMUNITY = N_("ops.other_community")
NOT_STAFF_CARD = N_("ops.not_staff_card")
NOT_TECHNICIAN_CARD = N_("ops.not_technician_card")


@dataclass(frozen=True)
class Operator:
    """Who is signed in: ``operator_id`` goes on every record made for a resident (staff id, or
    "technician" for the kiosk's own technician PIN); ``display_name`` is masked ("" when unknown)."""

    operator_id: str
    role: str  # staff | technician
    display_name: str = ""


class AuthError(Exception):
    """A refused sign-in: ``key`` (a message key) with ``params`` for tr(); ``wait_s`` > 0 while locked."""

    def __init__(self, key: str, *, wait_s: int = 0, reason: str = "", **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.wait_s = wait_s
        self.reason = reason  # the QR refusal reason (kiosk.identity.Reason) when there was one
        self.params: dict[str, Any] = params


def locked_error(wait_s: int) -> AuthError:
    if wait_s < 60:
        return AuthError(LOCKED_SECONDS, wait_s=wait_s, seconds=wait_s)
    return AuthError(LOCKED_MINUTES, wait_s=wait_s, minutes=-(-wait_s // 60))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")


def sign_in_pin(db, config: KioskConfig, role: str, pin: str, staff_id: str | None = None,  # noqa: ANN001
                *, clock: Callable[[], datetime] = utc_now) -> Operator:
    """Sign in by PIN; raises AuthError. Blocking (database writer, ~50 ms scrypt): a worker thread.

    The technician without ``staff_id`` uses the kiosk's own ``[technician] pin_hash``; anyone
    with a ``staff_id`` uses their hash from the pulled staff directory (role must match; staff
    only at the kiosks of their community). Each sign-in has its own lockout that survives a
    restart: 5 failures lock for 30 s, every later failure doubles it (at most 1 h); while
    locked even the right PIN is refused without being checked.
    """
    _check_role(role)
    if staff_id is None:
        if role != "technician":
            raise AuthError(STAFF_ID_NEEDED)
        encoded, who, operator = config.technician.pin_hash, TECHNICIAN_GATE, Operator("technician", role)
    else:
        with db.session() as session:
            entry = lookup_staff(session, staff_id)
            community = get_meta(session, COMMUNITY_ID) or ""
        if entry is None or not entry.active or entry.role != role:
            raise AuthError(STAFF_UNKNOWN)
        if role == "staff" and community and entry.community_id and entry.community_id != community:
            raise AuthError(OTHER_COMMUNITY)
        encoded, who = entry.pin_hash or "", f"staff:{entry.staff_id}"
        operator = Operator(entry.staff_id, role, entry.masked_name)
    if not encoded:
        raise AuthError(PIN_NOT_SET)
    attempt = PinGate(db, who, clock).check(pin, encoded)
    if attempt.ok:
        return operator
    if attempt.wait_s:
        raise locked_error(attempt.wait_s)
    raise AuthError(PIN_WRONG, left=LOCK_AFTER_FAILURES - attempt.failures)


def sign_in_qr(db, payload: str, role: str, *, now: int | None = None) -> Operator:  # noqa: ANN001
    """Sign in with a signed staff (role "staff") or technician (role "technician") QR card,
    verified offline like a resident card; a resident card or the other role's card is refused
    (AuthError ops.not_staff_card / ops.not_technician_card), a bad card with its identity key."""
    _check_role(role)
    wanted = TokenRole.STAFF if role == "staff" else TokenRole.TECHNICIAN
    with db.session() as session:
        try:
            identity = verify(session, payload, roles=(wanted,), now=now)
        except InvalidToken as exc:
            if exc.reason is Reason.WRONG_ROLE:
                raise AuthError(NOT_STAFF_CARD if role == "staff" else NOT_TECHNICIAN_CARD,
                                reason=exc.reason.value) from None
            raise AuthError(exc.message_key, reason=exc.reason.value) from None
        entry = lookup_staff(session, identity.subject)
    if entry is not None and (not entry.active or entry.role != role):
        raise AuthError(STAFF_UNKNOWN)
    return Operator(identity.subject, role, entry.masked_name if entry else "")
