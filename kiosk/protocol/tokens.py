"""Identity tokens (QR): the signed resident/staff card text format."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import StrEnum


TOKEN_PREFIX = "KT1"
TOKEN_SEPARATOR = ":"
TOKEN_FIELD = re.compile(r"[A-Z0-9\-]{1,40}")  # used with fullmatch: "$" would let a trailing newline in
_TOKEN_ID = re.compile(r"[0-9A-F]{16,32}")


class TokenRole(StrEnum):
    RESIDENT = "R"
    STAFF = "S"
    TECHNICIAN = "T"


@dataclass(frozen=True)
class TokenClaims:
    """What a signed QR token says; every field is in the QR alphanumeric set."""

    key_id: str
    role: TokenRole
    subject: str
    issued_at: int  # unix seconds
    expires_at: int  # unix seconds
    token_id: str  # 16-32 upper-case hex digits, unique per token

    def signing_input(self) -> bytes:
        """The exact ASCII bytes the Ed25519 signature covers."""
        for name in ("key_id", "subject"):
            if not TOKEN_FIELD.fullmatch(getattr(self, name)):
                raise ValueError(f"token {name} outside [A-Z0-9-]{{1,40}}")
        if not _TOKEN_ID.fullmatch(self.token_id):
            raise ValueError("token id must be 16-32 upper-case hex digits")
        fields = (
            TOKEN_PREFIX, self.key_id, TokenRole(self.role).value, self.subject,
            str(int(self.issued_at)), str(int(self.expires_at)), self.token_id,
        )
        return TOKEN_SEPARATOR.join(fields).encode("ascii")


def token_text(claims: TokenClaims, signature: bytes) -> str:
    """The QR payload: the signed fields, then the signature in unpadded RFC 4648 base32."""
    sig = base64.b32encode(signature).decode("ascii").rstrip("=")
    return claims.signing_input().decode("ascii") + TOKEN_SEPARATOR + sig


def parse_token(payload: str) -> tuple[TokenClaims, bytes, bytes]:
    """Split a QR payload into (claims, signing input, signature); ValueError if malformed.

    Checks the shape only; the signature, key and dates are the verifier's job.
    """
    if not payload.isascii():
        raise ValueError("token is not ASCII")
    parts = payload.strip().split(TOKEN_SEPARATOR)
    if len(parts) != 8 or parts[0] != TOKEN_PREFIX:
        raise ValueError("not a KT1 token")
    _, kid, role, subject, iat, exp, jti, sig_text = parts
    if not (iat.isdigit() and exp.isdigit()):
        raise ValueError("token dates are not numbers")
    claims = TokenClaims(kid, TokenRole(role), subject, int(iat), int(exp), jti)
    signing_input = claims.signing_input()
    if signing_input.decode("ascii") + TOKEN_SEPARATOR + sig_text != payload.strip():
        raise ValueError("token is not in canonical form")
    padded = sig_text + "=" * (-len(sig_text) % 8)
    try:
        signature = base64.b32decode(padded, casefold=False)
    except (ValueError, binascii.Error) as exc:
        raise ValueError("token signature is not base32") from exc
    if len(signature) != 64:
        raise ValueError("token signature is not 64 bytes")
    # 103 base32 digits carry 515 bits: the last digit's 3 spare bits must be zero, or several
    # texts (a flipped last character) would decode to the same signature.
    if base64.b32encode(signature).decode("ascii").rstrip("=") != sig_text:
        raise ValueError("token signature is not in canonical base32")
    return claims, signing_input, signature
