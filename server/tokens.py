"""Ed25519 signing keys and signed identity QR tokens, server side (the kiosk only verifies)."""

from __future__ import annotations

import base64
import secrets
import string
import time
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.protocol import TokenClaims, TokenRole, token_text

KEY_ID_PREFIX = "K"
KEY_ID_RANDOM_CHARS = 3
TOKEN_ID_HEX_DIGITS = 16
RAW_KEY_BYTES = 32
_KID_ALPHABET = string.ascii_uppercase + string.digits


def new_signing_key() -> tuple[str, bytes, bytes]:
    """A fresh Ed25519 key: (kid such as ``K2026A1B``, raw private 32 bytes, raw public 32 bytes).

    The kid is ``K`` + the current UTC year + 3 random characters from [A-Z0-9]; the caller
    stores the private bytes (secret) and publishes the public ones. Any thread; no I/O.
    """
    private = Ed25519PrivateKey.generate()
    year = datetime.now(UTC).year
    suffix = "".join(secrets.choice(_KID_ALPHABET) for _ in range(KEY_ID_RANDOM_CHARS))
    private_raw = private.private_bytes_raw()
    return f"{KEY_ID_PREFIX}{year}{suffix}", private_raw, public_key_of(private_raw)


def public_key_of(private_raw: bytes) -> bytes:
    """The raw 32-byte public key of a raw 32-byte private key; ValueError for a wrong length."""
    return _private_key(private_raw).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_token(private_raw: bytes, claims: TokenClaims) -> str:
    """The QR payload of ``claims`` signed with ``private_raw`` (Ed25519, deterministic).

    Raises ValueError when a claim is outside the token format (kid/subject not [A-Z0-9-]{1,40},
    token id not 16-32 upper-case hex digits) or the key is not 32 bytes. Any thread; no I/O.
    """
    key = _private_key(private_raw)
    return token_text(claims, key.sign(claims.signing_input()))


def issue_token(
    private_raw: bytes,
    kid: str,
    role: TokenRole | str,
    subject: str,
    *,
    lifetime_s: int,
    now: int | None = None,
) -> str:
    """A new signed token for ``subject`` valid from ``now`` (default: the clock) for ``lifetime_s``.

    The token id is 16 random upper-case hex digits (``secrets``). ``role`` is a TokenRole or
    its letter ("R", "S", "T"). Raises ValueError for a non-positive lifetime, an unknown role
    or a claim outside the token format. Any thread; no I/O.
    """
    if int(lifetime_s) <= 0:
        raise ValueError("lifetime_s must be positive")
    issued_at = int(time.time()) if now is None else int(now)
    claims = TokenClaims(
        key_id=kid,
        role=TokenRole(role),
        subject=subject,
        issued_at=issued_at,
        expires_at=issued_at + int(lifetime_s),
        token_id=new_token_id(),
    )
    return sign_token(private_raw, claims)


def new_token_id() -> str:
    """16 random upper-case hex digits (64 bits): the unique id the deny-list and used-set hold."""
    return secrets.token_hex(TOKEN_ID_HEX_DIGITS // 2).upper()


def public_key_data(kid: str, public_raw: bytes, not_after: int | None = None) -> dict[str, Any]:
    """The ``public_key`` change data kiosks pull: {kid, public_key (standard base64), not_after}.

    ``not_after`` (unix seconds) ends the key's life: kiosks refuse tokens it signed later, and
    all of its tokens once their clock passes it, so set it beyond the longest token lifetime.
    Raises ValueError when the key is not 32 bytes.
    """
    if len(public_raw) != RAW_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return {
        "kid": kid,
        "public_key": base64.b64encode(public_raw).decode("ascii"),
        "not_after": None if not_after is None else int(not_after),
    }


def _private_key(private_raw: bytes) -> Ed25519PrivateKey:
    if len(private_raw) != RAW_KEY_BYTES:
        raise ValueError("an Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(private_raw)
