"""kiosk.identity: round trip, dates, deny-list, used set, roles, key rotation and check order."""

from __future__ import annotations

import base64

import pytest

from kiosk.catalogue_check import source_messages
from kiosk.i18n import load_catalog
from kiosk.identity import (
    MESSAGE_KEYS,
    Identity,
    InvalidToken,
    Keyring,
    Reason,
    TrustedKey,
    verify_token,
)
from kiosk.protocol import TokenClaims, TokenRole
from server.tokens import issue_token, new_signing_key, public_key_data, sign_token

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
DAY_S = 86_400
SKEW_S = 300


@pytest.fixture(scope="module")
def key_a():
    return new_signing_key()


@pytest.fixture(scope="module")
def key_b():
    return new_signing_key()


def ring(*keys, not_after=None) -> Keyring:
    return Keyring(TrustedKey(kid, public, not_after) for kid, _private, public in keys)


def claims(kid: str, **over) -> TokenClaims:
    fields = dict(key_id=kid, role=TokenRole.RESIDENT, subject="RES-000042", issued_at=NOW,
                  expires_at=NOW + 30 * DAY_S, token_id="00112233445566AA")
    fields.update(over)
    return TokenClaims(**fields)


def reason_of(payload: str, keys: Keyring, **kwargs) -> Reason:
    with pytest.raises(InvalidToken) as info:
        verify_token(payload, keys, **kwargs)
    return info.value.reason


def test_issued_token_verifies_to_the_identity_it_was_issued_for(key_a):
    kid, private, _public = key_a
    token = issue_token(private, kid, TokenRole.STAFF, "STAFF-7", lifetime_s=DAY_S, now=NOW)
    identity = verify_token(token, ring(key_a), now=NOW + 60)
    assert identity.role is TokenRole.STAFF
    assert (identity.subject, identity.key_id) == ("STAFF-7", kid)
    assert (identity.issued_at, identity.expires_at) == (NOW, NOW + DAY_S)
    assert identity.token_id == token.split(":")[6]
    assert isinstance(identity, Identity)


def test_default_now_is_the_clock(key_a):
    kid, private, _public = key_a
    fresh = issue_token(private, kid, "R", "RES-1", lifetime_s=60)
    assert verify_token(fresh, ring(key_a)).subject == "RES-1"
    old = issue_token(private, kid, "R", "RES-1", lifetime_s=60, now=NOW)  # expired long ago
    assert reason_of(old, ring(key_a)) == "expired"


def test_expiry_is_granted_the_clock_skew_and_no_more(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid, expires_at=NOW + DAY_S))
    assert verify_token(token, ring(key_a), now=NOW + DAY_S + SKEW_S - 1).subject == "RES-000042"
    assert reason_of(token, ring(key_a), now=NOW + DAY_S + SKEW_S) == "expired"
    assert reason_of(token, ring(key_a), now=NOW + DAY_S, clock_skew_s=0) == "expired"


def test_token_issued_beyond_the_skew_in_the_future_is_not_yet_valid(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid))
    assert verify_token(token, ring(key_a), now=NOW - SKEW_S).issued_at == NOW
    assert reason_of(token, ring(key_a), now=NOW - SKEW_S - 1) == "not_yet_valid"


def test_token_that_expires_when_or_before_it_is_issued_is_expired(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid, expires_at=NOW))
    assert reason_of(token, ring(key_a), now=NOW) == "expired"


def test_revoked_token_id_on_the_deny_list_is_refused(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid))
    assert verify_token(token, ring(key_a), now=NOW, revoked={"FFFFFFFFFFFFFFFF"})
    assert reason_of(token, ring(key_a), now=NOW, revoked={"00112233445566AA"}) == "revoked"
    assert reason_of(token, ring(key_a), now=NOW, revoked=["00112233445566AA"]) == "revoked"


def test_used_token_id_is_a_replay_only_where_a_used_set_is_given(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid))
    used: set[str] = set()
    identity = verify_token(token, ring(key_a), now=NOW, used=used)
    used.add(identity.token_id)  # the single-use caller records the id after the action
    assert reason_of(token, ring(key_a), now=NOW, used=used) == "replayed"
    assert verify_token(token, ring(key_a), now=NOW) == identity  # used=None: reusable context


def test_role_outside_the_accepted_roles_is_refused(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid, role=TokenRole.RESIDENT))
    staff_only = {TokenRole.STAFF, TokenRole.TECHNICIAN}
    assert reason_of(token, ring(key_a), now=NOW, roles=staff_only) == "wrong_role"
    assert verify_token(token, ring(key_a), now=NOW, roles={TokenRole.RESIDENT}).role == "R"
    assert verify_token(token, ring(key_a), now=NOW, roles=["R"]).role is TokenRole.RESIDENT


def test_unknown_key_is_refused(key_a, key_b):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid))
    assert reason_of(token, ring(key_b), now=NOW) == "unknown_key"
    assert reason_of(token, Keyring(), now=NOW) == "unknown_key"


def test_swapped_key_ids_between_two_real_keys_fail_the_signature(key_a, key_b):
    both = ring(key_a, key_b)
    kid_a, private_a, _ = key_a
    kid_b, private_b, _ = key_b
    token_a = sign_token(private_a, claims(kid_a))
    token_b = sign_token(private_b, claims(kid_b))
    assert len(kid_a) == len(kid_b)
    assert reason_of(token_a.replace(kid_a, kid_b, 1), both, now=NOW) == "bad_signature"
    assert reason_of(token_b.replace(kid_b, kid_a, 1), both, now=NOW) == "bad_signature"
    # A key signing claims that name the other key: the same refusal.
    assert reason_of(sign_token(private_a, claims(kid_b)), both, now=NOW) == "bad_signature"


def test_signature_moved_onto_other_claims_fails(key_a):
    kid, private, _ = key_a
    mine = sign_token(private, claims(kid, subject="RES-000042"))
    other = sign_token(private, claims(kid, subject="RES-000043", token_id="00112233445566AB"))
    forged = other.rsplit(":", 1)[0] + ":" + mine.rsplit(":", 1)[1]
    assert reason_of(forged, ring(key_a), now=NOW) == "bad_signature"


def test_checks_run_in_order_so_a_forgery_learns_nothing_about_later_checks(key_a):
    kid, private, _ = key_a
    token = sign_token(private, claims(kid, expires_at=NOW + 10))
    tid = "00112233445566AA"
    everything = dict(now=NOW + DAY_S, revoked={tid}, used={tid}, roles={TokenRole.STAFF})
    forged = token[:-2] + ("B" if token[-2] != "B" else "C") + token[-1]  # one signature digit
    assert reason_of(forged, ring(key_a), **everything) == "bad_signature"
    assert reason_of(token, ring(key_a), **everything) == "expired"
    everything["now"] = NOW
    assert reason_of(token, ring(key_a), **everything) == "revoked"
    everything["revoked"] = set()
    assert reason_of(token, ring(key_a), **everything) == "replayed"
    everything["used"] = set()
    assert reason_of(token, ring(key_a), **everything) == "wrong_role"


def test_rotation_old_and_new_key_both_verify_while_both_are_trusted(key_a, key_b):
    old_kid, old_private, _ = key_a
    new_kid, new_private, _ = key_b
    old_token = sign_token(old_private, claims(old_kid))
    new_token = sign_token(new_private, claims(new_kid, token_id="00112233445566BB"))
    both = ring(key_a, key_b)
    assert verify_token(old_token, both, now=NOW).key_id == old_kid
    assert verify_token(new_token, both, now=NOW).key_id == new_kid
    after_removal = both.without(old_kid)
    assert old_kid not in after_removal and len(after_removal) == 1
    assert reason_of(old_token, after_removal, now=NOW) == "unknown_key"
    assert verify_token(new_token, after_removal, now=NOW).key_id == new_kid


def test_rotation_retired_key_signs_nothing_new_after_not_after(key_a, key_b):
    old_kid, old_private, old_public = key_a
    retired_at = NOW + 10
    keys = ring(key_b).with_keys(TrustedKey(old_kid, old_public, not_after=retired_at))
    before = sign_token(old_private, claims(old_kid, issued_at=retired_at))
    after = sign_token(old_private, claims(old_kid, issued_at=retired_at + 1))
    assert verify_token(before, keys, now=retired_at + 2).issued_at == retired_at
    with pytest.raises(InvalidToken) as info:
        verify_token(after, keys, now=retired_at + 2)  # the clock is not past not_after yet
    assert info.value.reason == "expired" and "retired" in info.value.detail


def test_rotation_retired_key_verifies_nothing_once_the_clock_passes_not_after(key_a):
    old_kid, old_private, old_public = key_a
    retired_at = NOW + DAY_S
    keys = Keyring([TrustedKey(old_kid, old_public, not_after=retired_at)])
    token = sign_token(old_private, claims(old_kid, expires_at=NOW + 30 * DAY_S))  # outlives the key
    assert verify_token(token, keys, now=retired_at + SKEW_S - 1).key_id == old_kid
    with pytest.raises(InvalidToken) as info:
        verify_token(token, keys, now=retired_at + SKEW_S)
    assert info.value.reason == "expired" and "not_after" in info.value.detail


def test_keyring_from_pulled_change_data_later_entry_wins(key_a, key_b):
    kid_a, private_a, public_a = key_a
    kid_b, _private_b, public_b = key_b
    data = [
        public_key_data(kid_a, public_a),
        public_key_data(kid_b, public_b),
        public_key_data(kid_a, public_a, not_after=NOW),  # the rotation retires key A
    ]
    keys = Keyring.from_change_data(data)
    assert keys.kids == tuple(sorted((kid_a, kid_b)))
    assert keys.get(kid_a).not_after == NOW and keys.get(kid_b).not_after is None
    late = sign_token(private_a, claims(kid_a, issued_at=NOW + 1))
    assert reason_of(late, keys, now=NOW + 2) == "expired"


def test_keyring_accepts_iso_not_after_with_a_zone_only(key_a):
    kid, _private, public = key_a
    encoded = base64.b64encode(public).decode()
    keys = Keyring.from_change_data([{"kid": kid, "public_key": encoded,
                                      "not_after": "2026-01-01T00:00:00+00:00"}])
    assert keys.get(kid).not_after == NOW
    with pytest.raises(ValueError):
        Keyring.from_change_data([{"kid": kid, "public_key": encoded, "not_after": "2026-01-01T00:00:00"}])


@pytest.mark.parametrize("bad", [
    {"public_key": "AAAA"},
    {"kid": "K1", "public_key": "not base64!"},
    {"kid": "K1", "public_key": base64.b64encode(bytes(31)).decode()},
    {"kid": "k1", "public_key": base64.b64encode(bytes(32)).decode()},
    {"kid": "K1", "public_key": base64.b64encode(bytes(32)).decode(), "not_after": True},
    {"kid": "K1", "public_key": 12},
    "K1",
])
def test_keyring_refuses_bad_public_key_data(bad):
    with pytest.raises(ValueError):
        Keyring.from_change_data([bad])


def test_every_reason_has_a_calm_translated_message_in_both_languages():
    marked = source_messages()
    catalogs = {lang: load_catalog(lang)._catalog for lang in ("zh_CN", "en")}
    assert set(MESSAGE_KEYS) == set(Reason)
    for reason in Reason:
        error = InvalidToken(reason, "detail")
        assert error.message_key == f"identity.{reason.value}"
        assert error.message_key in marked, "not extractable: mark it with N_()"
        for lang, catalog in catalogs.items():
            text = catalog.get(error.message_key, "")
            assert text and text != error.message_key, (lang, reason)
    assert catalogs["zh_CN"]["identity.expired"] == "这个二维码已过期，请到服务台更新。"


def test_invalid_token_reason_compares_equal_to_its_string_and_refuses_unknown_reasons():
    assert InvalidToken("revoked").reason == Reason.REVOKED == "revoked"
    with pytest.raises(ValueError):
        InvalidToken("stolen")
