"""Offline verification of the server's Ed25519-signed identity QR tokens against a keyring."""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.i18n import N_
from kiosk.protocol import TokenRole, parse_token

DEFAULT_CLOCK_SKEW_S = 300
MAX_TOKEN_CHARS = 400  # a real token is ~160-260 characters; longer input is refused unparsed
PUBLIC_KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Z0-9\-]{1,40}")  # the token format's kid field


class Reason(StrEnum):
    """Why a token was refused; checked in this order so an earlier answer reveals nothing later."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    REPLAYED = "replayed"
    WRONG_ROLE = "wrong_role"


MESSAGE_KEYS: dict[Reason, str] = {
    Reason.MALFORMED: N_("identity.malformed"),
    Reason.UNKNOWN_KEY: N_("identity.unknown_key"),
    Reason.BAD_SIGNATURE: N_("identity.bad_signature"),
    Reason.EXPIRED: N_("identity.expired"),
    Reason.NOT_YET_VALID: N_("identity.not_yet_valid"),
    Reason.REVOKED: N_("identity.revoked"),
    Reason.REPLAYED: N_("identity.replayed"),
    Reason.WRONG_ROLE: N_("identity.wrong_role"),
}


class InvalidToken(Exception):
    """A refused QR token: ``reason`` (a :class:`Reason`, equal to its string) and ``message_key``.

    ``detail`` is for logs and carries no payload text and no personal data.
    """

    def __init__(self, reason: Reason | str, detail: str = "") -> None:
        self.reason = Reason(reason)
        self.detail = detail
        super().__init__(f"{self.reason.value}: {detail}" if detail else self.reason.value)

    @property
    def message_key(self) -> str:
        """The catalogue key of the calm, translated message shown to the person (``identity.expired``)."""
        return MESSAGE_KEYS[self.reason]


@dataclass(frozen=True)
class Identity:
    """Who a verified token says the person is; ``subject`` is a resident or staff id."""

    role: TokenRole
    subject: str
    key_id: str
    token_id: str
    issued_at: int  # unix seconds
    expires_at: int  # unix seconds


@dataclass(frozen=True)
class TrustedKey:
    """A server public key; ``not_after`` (unix seconds) ends its life, None = no end.

    Tokens it signed after ``not_after`` are refused, and so are all its tokens once the clock
    passes ``not_after`` (the server sets it, at rotation, beyond its longest token lifetime).

    Raises ValueError for a kid outside [A-Z0-9-]{1,40} or a key that is not 32 bytes.
    """

    kid: str
    public_raw: bytes
    not_after: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kid, str) or not _KEY_ID.fullmatch(self.kid):
            raise ValueError("key id outside [A-Z0-9-]{1,40}")
        if not isinstance(self.public_raw, bytes) or len(self.public_raw) != PUBLIC_KEY_BYTES:
            raise ValueError("an Ed25519 public key is 32 bytes")
        if self.not_after is not None and (isinstance(self.not_after, bool) or not isinstance(self.not_after, int)):
            raise ValueError("not_after must be unix seconds (int) or None")


class Keyring:
    """The public keys a kiosk trusts, several at once during a rotation. Immutable, any thread.

    A later key with the same kid replaces an earlier one (an updated ``not_after``). Raises
    ValueError for a public key that cryptography refuses to load.
    """

    def __init__(self, keys: Iterable[TrustedKey] = ()) -> None:
        self._keys: dict[str, tuple[TrustedKey, Ed25519PublicKey]] = {}
        for key in keys:
            self._keys[key.kid] = (key, Ed25519PublicKey.from_public_bytes(key.public_raw))

    @classmethod
    def from_change_data(cls, items: Iterable[Mapping[str, Any]]) -> Keyring:
        """A keyring from pulled ``public_key`` change data: {kid, public_key (base64), not_after}.

        ``not_after`` is unix seconds, an ISO 8601 time with a zone, or None. Raises ValueError
        for an entry that is missing a field or holds a bad key; later entries win per kid.
        """
        return cls(_trusted_key_from_data(item) for item in items)

    def with_keys(self, *keys: TrustedKey) -> Keyring:
        """A new keyring with ``keys`` added (replacing keys of the same kid)."""
        return Keyring([*self, *keys])

    def without(self, *kids: str) -> Keyring:
        """A new keyring without the keys ``kids`` (a retired or compromised key)."""
        return Keyring(key for key in self if key.kid not in kids)

    def get(self, kid: str) -> TrustedKey | None:
        """The trusted key ``kid``, or None."""
        entry = self._keys.get(kid)
        return entry[0] if entry else None

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(sorted(self._keys))

    def __iter__(self) -> Iterator[TrustedKey]:
        return iter([entry[0] for entry in self._keys.values()])

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, kid: object) -> bool:
        return kid in self._keys

    def __repr__(self) -> str:
        return f"Keyring({', '.join(self.kids)})"

    def _entry(self, kid: str) -> tuple[TrustedKey, Ed25519PublicKey] | None:
        return self._keys.get(kid)


def verify_token(
    payload: str,
    keys: Keyring,
    *,
    now: int | None = None,
    revoked: Collection[str] = (),
    used: Collection[str] | None = None,
    roles: Collection[TokenRole] | None = None,
    clock_skew_s: int = DEFAULT_CLOCK_SKEW_S,
) -> Identity:
    """Check a scanned QR payload offline and return who it identifies.

    Checks, in order: shape (``malformed``), key id in ``keys`` (``unknown_key``), Ed25519
    signature (``bad_signature``), dates (``expired`` also when the key signed it after its
    ``not_after`` or ``now`` is past the key's ``not_after``; ``not_yet_valid`` when issued more
    than ``clock_skew_s`` ahead of ``now``; expiry and ``not_after`` are also granted
    ``clock_skew_s``), token id in the deny-list ``revoked``
    (``revoked``), token id in ``used`` for single-use contexts (``replayed``; the caller records
    the id after use), role in ``roles`` (``wrong_role``). ``now`` defaults to the clock.

    Raises InvalidToken and nothing else, whatever ``payload`` holds. Pure: any thread, no I/O.
    """
    if not isinstance(payload, str) or len(payload) > MAX_TOKEN_CHARS:
        raise InvalidToken(Reason.MALFORMED, "not a token-sized text")
    try:
        claims, signing_input, signature = parse_token(payload)
    except ValueError as exc:  # binascii.Error and UnicodeError are ValueErrors
        raise InvalidToken(Reason.MALFORMED, str(exc)) from None
    entry = keys._entry(claims.key_id)
    if entry is None:
        raise InvalidToken(Reason.UNKNOWN_KEY, f"key {claims.key_id} is not trusted here")
    trusted, public = entry
    try:
        public.verify(signature, signing_input)
    except InvalidSignature:
        raise InvalidToken(Reason.BAD_SIGNATURE, f"signature does not verify with key {trusted.kid}") from None
    at = int(time.time()) if now is None else int(now)
    if trusted.not_after is not None and claims.issued_at > trusted.not_after:
        raise InvalidToken(Reason.EXPIRED, f"signed after key {trusted.kid} was retired")
    if trusted.not_after is not None and at >= trusted.not_after + clock_skew_s:
        raise InvalidToken(Reason.EXPIRED, f"key {trusted.kid} is past its not_after")
    if claims.expires_at <= claims.issued_at or at >= claims.expires_at + clock_skew_s:
        raise InvalidToken(Reason.EXPIRED, "past its expiry")
    if claims.issued_at > at + clock_skew_s:
        raise InvalidToken(Reason.NOT_YET_VALID, "issued in the future")
    if claims.token_id in revoked:
        raise InvalidToken(Reason.REVOKED, f"token {claims.token_id} is on the deny-list")
    if used is not None and claims.token_id in used:
        raise InvalidToken(Reason.REPLAYED, f"token {claims.token_id} was already used")
    if roles is not None and claims.role not in roles:
        raise InvalidToken(Reason.WRONG_ROLE, f"role {claims.role.value} is not accepted here")
    return Identity(
        role=claims.role,
        subject=claims.subject,
        key_id=claims.key_id,
        token_id=claims.token_id,
        issued_at=claims.issued_at,
        expires_at=claims.expires_at,
    )


def _trusted_key_from_data(item: Mapping[str, Any]) -> TrustedKey:
    try:
        kid, encoded, not_after = item["kid"], item["public_key"], item.get("not_after")
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError("public key data needs kid, public_key and not_after") from exc
    if not isinstance(encoded, str):
        raise ValueError("public_key must be base64 text")
    try:
        public_raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("public_key is not valid base64") from exc
    return TrustedKey(kid, public_raw, _unix_seconds(not_after))


def _unix_seconds(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("not_after is not an ISO 8601 time") from exc
        if when.tzinfo is None:
            raise ValueError("not_after needs a time zone")
        return int(when.timestamp())
    raise ValueError("not_after must be unix seconds, an ISO 8601 time or None")
