"""Help desk, technician and kiosk operations (#8): PIN hashing rules, help calls, heartbeats, awards, look-up."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from datetime import datetime

from pydantic import Field

from kiosk.protocol.wire import WireModel


# A PIN hash is "scrypt$n$r$p$salt_b64$hash_b64" (hashlib.scrypt, a random 16-byte salt per PIN):
# the server makes staff hashes (`kiosk-server staff set-pin`), kiosks verify them offline.

PIN_SCHEME = "scrypt"
PIN_SCRYPT_N = 2**14  # ~16 MB and ~50 ms per check: cheap for one sign-in, slow for guessing
PIN_SCRYPT_R = 8
PIN_SCRYPT_P = 1
PIN_DKLEN = 32
PIN_SALT_BYTES = 16
HELP_CALL_STATUSES = ("open", "cancelled", "done")


def pin_hash(pin: str, *, salt: bytes | None = None, n: int = PIN_SCRYPT_N, r: int = PIN_SCRYPT_R,
             p: int = PIN_SCRYPT_P) -> str:
    """The encoded scrypt hash of ``pin`` with a fresh random salt (or ``salt``)."""
    salt = os.urandom(PIN_SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=PIN_DKLEN, maxmem=2**26)
    b64 = base64.b64encode
    return f"{PIN_SCHEME}${n}${r}${p}${b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"


def parse_pin_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of an encoded PIN hash; ValueError when it is not one."""
    parts = encoded.split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != PIN_SCHEME or not all(x.isdigit() for x in parts[1:4]):
        raise ValueError("not a scrypt PIN hash")
    n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError("scrypt parameters out of range")
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("PIN hash salt or digest is not base64") from exc
    if len(salt) < 8 or len(digest) < 16:
        raise ValueError("PIN hash salt or digest too short")
    return n, r, p, salt, digest


def pin_hash_matches(pin: str, encoded: str) -> bool:
    """True when ``pin`` hashes to ``encoded`` (constant-time compare); False for a malformed hash."""
    try:
        n, r, p, salt, digest = parse_pin_hash(encoded)
    except ValueError:
        return False
    candidate = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=2**26)
    return hmac.compare_digest(candidate, digest)


class StaffEntryData(WireModel):
    """STAFF change data: one staff member or technician as kiosks know them (masked name only)."""

    staff_id: str = Field(max_length=32)
    masked_name: str = Field(max_length=100)
    role: str = Field(pattern=r"^(staff|technician)$")
    community_id: str = Field(max_length=32)
    pin_hash: str | None = Field(default=None, max_length=200)
    active: bool = True


class HelpCallRecord(WireModel):
    """Outbox ``help.call``: a resident pressed "call staff" at ``where`` (a screen or place code)."""

    call_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    where: str = Field(max_length=64)
    resident_id: str | None = Field(default=None, max_length=32)
    raised_at: datetime


class HelpCancelRecord(WireModel):
    """Outbox ``help.cancel``: ``by`` is "resident" or "staff:<staff id>"."""

    call_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    by: str = Field(pattern=r"^(resident|staff:[A-Z0-9-]{1,32})$")
    at: datetime


class HelpCallData(WireModel):
    """HELP_CALL change data: a call as staff views at the kiosks of its community show it."""

    call_id: str
    kiosk_id: str
    kiosk_name: str
    community_id: str
    where: str
    raised_at: datetime
    status: str  # open | cancelled | done
    closed_at: datetime | None = None
    closed_by: str | None = None


class DeviceBeat(WireModel):
    role: str = Field(max_length=32)
    driver: str = Field(max_length=64)
    state: str = Field(max_length=16)  # devices.state.DeviceState value
    reason_key: str = Field(default="", max_length=64)


class Heartbeat(WireModel):
    """POST /heartbeat: how a kiosk is doing (no personal data)."""

    version: str = Field(max_length=32)
    sent_at: datetime
    uptime_s: float = Field(ge=0)
    queue: int = Field(ge=0)  # outbox records waiting
    dead: int = Field(ge=0)  # outbox records the server refused for good
    paper: str = Field(max_length=16)  # ok, near_end, paper_out, cover_open, offline, unknown, none
    devices: list[DeviceBeat] = Field(default_factory=list, max_length=32)
    last_error: str | None = Field(default=None, max_length=64)  # a message key (sync.offline, ...)


class HeartbeatAnswer(WireModel):
    received_at: datetime


POINTS_PER_VOLUNTEER_HOUR = 10  # the server's rule for staff awards: one hour of volunteering = 10 points
AWARD_DIMENSIONS = ("harmony", "civility", "governance", "integrity", "future")
AWARD_HOURS_STEP = 0.5
MAX_AWARD_HOURS = 50.0  # 500 points: the ledger's cap on one staff award


def points_for_hours(hours: float) -> int:
    """Points that ``hours`` of volunteering earn in a staff award (kiosk preview and server rule)."""
    return round(hours * POINTS_PER_VOLUNTEER_HOUR)


class PointsAward(WireModel):
    """Outbox ``points.award``: a staff member (the record's operator_id) awards volunteer hours.

    ``points`` is what the kiosk showed; the server refuses the award when its rule gives another
    number (``points.award_mismatch``), so nobody is told a figure the ledger does not hold.
    """

    award_id: str = Field(pattern=r"^[0-9A-F]{32}$")
    resident_id: str = Field(min_length=1, max_length=32)
    dimension: str = Field(pattern=r"^(harmony|civility|governance|integrity|future)$")
    reason: str = Field(pattern=r"^[a-z_]{1,32}$")  # a reason code: patrol, fire_check, ...
    hours: float = Field(gt=0, le=MAX_AWARD_HOURS, multiple_of=AWARD_HOURS_STEP)
    points: int = Field(gt=0)


class ResidentLookupRequest(WireModel):
    """POST /staff/lookup (kiosk credentials + the signed-in staff member's id): by the last four
    digits of the phone (optionally narrowed by the name or surname), or the family of a resident."""

    operator_id: str = Field(min_length=1, max_length=32)
    phone_last4: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    name: str | None = Field(default=None, max_length=50)
    family_of: str | None = Field(default=None, max_length=32)


class ResidentMatch(WireModel):
    """A resident as the help desk may see them: masked name, never the phone or full name."""

    resident_id: str
    masked_name: str
    birth_year: int | None = None
    family_id: str | None = None
    community_id: str | None = None


class ResidentLookupAnswer(WireModel):
    matches: list[ResidentMatch] = Field(default_factory=list)
    more: bool = False  # more residents matched than were sent: ask for the name too
