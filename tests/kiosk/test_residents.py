"""Resident identification from a signed card against the pulled keys, deny-list and directory."""

from __future__ import annotations

import pytest

from kiosk.identity import InvalidToken
from kiosk.protocol import TokenRole
from kiosk import residents
from kiosk.sync.models import RevokedToken
from kiosk.protocol import parse_token
from support.kiosk_world import add_resident, new_issuer, trust
from support.sync_fixtures import kiosk_db  # noqa: F401 - fixture


def test_a_card_of_a_resident_in_the_directory_gives_their_masked_entry(kiosk_db):  # noqa: F811
    issuer = new_issuer()
    trust(kiosk_db, issuer)
    add_resident(kiosk_db, "R-1", "李*华", 1940, family_id="F-9")
    add_resident(kiosk_db, "R-2", "王*芳", 1942, family_id="F-9")
    with kiosk_db.session() as s:
        who = residents.identify(s, issuer.card("R-1"))
        assert (who.resident_id, who.masked_name, who.birth_year, who.family_id) == ("R-1", "李*华", 1940, "F-9")
        assert who.age(__import__("datetime").date(2026, 11, 21)) == 86
        assert [r.resident_id for r in residents.family_of(s, who)] == ["R-2"]


def test_a_valid_card_of_a_resident_not_yet_pulled_still_identifies_without_a_name(kiosk_db):  # noqa: F811
    issuer = new_issuer()
    trust(kiosk_db, issuer)
    with kiosk_db.session() as s:
        who = residents.identify(s, issuer.card("R-NEW"))
    assert (who.resident_id, who.masked_name) == ("R-NEW", "")


def test_revoked_staff_and_untrusted_cards_are_refused_with_their_reason(kiosk_db):  # noqa: F811
    issuer = new_issuer()
    trust(kiosk_db, issuer)
    revoked = issuer.card("R-1")
    token_id = parse_token(revoked)[0].token_id
    kiosk_db.write(lambda s: s.add(RevokedToken(token_id=token_id)))
    with kiosk_db.session() as s:
        cases = {
            revoked: "revoked",
            issuer.card("S-1", role=TokenRole.STAFF): "wrong_role",
            new_issuer().card("R-1"): "unknown_key",
        }
        for payload, reason in cases.items():
            with pytest.raises(InvalidToken) as caught:
                residents.identify(s, payload)
            assert caught.value.reason.value == reason
