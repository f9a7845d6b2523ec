"""server.tokens: key generation, token issue and signing, checked with cryptography directly."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.protocol import TokenClaims, TokenRole, parse_token
from server.tokens import (
    issue_token,
    new_signing_key,
    new_token_id,
    public_key_data,
    public_key_of,
    sign_token,
)

NOW = 1_767_225_600


@pytest.fixture(scope="module")
def key():
    return new_signing_key()


def test_new_signing_key_has_a_dated_kid_and_raw_32_byte_keys():
    year_before = datetime.now(UTC).year
    kid, private, public = new_signing_key()
    years = {year_before, datetime.now(UTC).year}
    assert any(re.fullmatch(rf"K{year}[A-Z0-9]{{3}}", kid) for year in years), kid
    assert len(private) == 32 and len(public) == 32
    assert public_key_of(private) == public


def test_each_new_signing_key_is_fresh():
    keys = [new_signing_key() for _ in range(5)]
    assert len({private for _kid, private, _public in keys}) == 5
    assert len({public for _kid, _private, public in keys}) == 5


def test_issued_token_carries_the_claims_and_an_ed25519_signature_over_them(key):
    kid, private, public = key
    token = issue_token(private, kid, TokenRole.RESIDENT, "RES-000042", lifetime_s=3600, now=NOW)
    claims, signing_input, signature = parse_token(token)
    assert (claims.key_id, claims.role, claims.subject) == (kid, TokenRole.RESIDENT, "RES-000042")
    assert (claims.issued_at, claims.expires_at) == (NOW, NOW + 3600)
    assert re.fullmatch(r"[0-9A-F]{16}", claims.token_id)
    Ed25519PublicKey.from_public_bytes(public).verify(signature, signing_input)  # raises if wrong
    assert signing_input == token.rsplit(":", 1)[0].encode("ascii")


def test_issue_token_takes_the_role_letter_and_defaults_now_to_the_clock(key):
    kid, private, _public = key
    before = int(datetime.now(UTC).timestamp())
    claims, _, _ = parse_token(issue_token(private, kid, "S", "STAFF-1", lifetime_s=60))
    after = int(datetime.now(UTC).timestamp())
    assert claims.role is TokenRole.STAFF
    assert before <= claims.issued_at <= after and claims.expires_at == claims.issued_at + 60


def test_token_ids_are_unique_across_issues(key):
    kid, private, _public = key
    ids = {parse_token(issue_token(private, kid, "R", "RES-1", lifetime_s=60, now=NOW))[0].token_id
           for _ in range(500)}
    assert len(ids) == 500
    assert len({new_token_id() for _ in range(10_000)}) == 10_000


def test_signing_is_deterministic_for_the_same_claims(key):
    kid, private, _public = key
    claims = TokenClaims(kid, TokenRole.TECHNICIAN, "TECH-3", NOW, NOW + 60, "ABCDEF0123456789")
    assert sign_token(private, claims) == sign_token(private, claims)


@pytest.mark.parametrize("subject", ["res-1", "RES:1", "RES 1", "", "R" * 41, "RES-1\n", "张三"])
def test_subject_outside_the_token_format_is_refused(key, subject):
    kid, private, _public = key
    with pytest.raises(ValueError):
        issue_token(private, kid, "R", subject, lifetime_s=60, now=NOW)


@pytest.mark.parametrize("kid", ["k2026abc", "K2026\n", "K:1", ""])
def test_kid_outside_the_token_format_is_refused(key, kid):
    _kid, private, _public = key
    with pytest.raises(ValueError):
        issue_token(private, kid, "R", "RES-1", lifetime_s=60, now=NOW)


@pytest.mark.parametrize("lifetime_s", [0, -1])
def test_non_positive_lifetime_is_refused(key, lifetime_s):
    kid, private, _public = key
    with pytest.raises(ValueError):
        issue_token(private, kid, "R", "RES-1", lifetime_s=lifetime_s, now=NOW)


def test_unknown_role_and_wrong_key_length_are_refused(key):
    kid, private, _public = key
    with pytest.raises(ValueError):
        issue_token(private, kid, "X", "RES-1", lifetime_s=60, now=NOW)
    with pytest.raises(ValueError):
        issue_token(private[:31], kid, "R", "RES-1", lifetime_s=60, now=NOW)
    with pytest.raises(ValueError):
        public_key_data(kid, bytes(31))


def test_public_key_data_is_the_pulled_change_shape(key):
    kid, _private, public = key
    assert public_key_data(kid, public) == {
        "kid": kid, "public_key": base64.b64encode(public).decode("ascii"), "not_after": None,
    }
    assert public_key_data(kid, public, not_after=NOW)["not_after"] == NOW
