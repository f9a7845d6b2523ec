"""Tracking numbers are made on the kiosk without the server: unique per kiosk and day, across
restarts, with a check character that catches misread numbers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.protocol import TRACKING_NO, tracking_number, valid_tracking_number
from kiosk.requests import filing
from kiosk.requests.filing import Draft
from kiosk.requests.models import FiledRequest
from kiosk.storage import open_database
from kiosk.sync.state import Credentials, write_credentials

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)  # 12:00 in Hangzhou
DRAFT = Draft(category="repair", place_code="", phrases=["light_out"])


def file_one(db, code: str, now: datetime) -> str:  # noqa: ANN001
    return db.write(lambda s: filing.file_request(s, DRAFT, "R-000001", code, now=now)).tracking_no


def test_numbers_of_one_day_are_sequential_unique_and_carry_a_valid_check_character(kiosk_db):
    numbers = [file_one(kiosk_db, "1A2B3C4D", NOON + timedelta(minutes=i)) for i in range(12)]
    assert len(set(numbers)) == 12
    assert [TRACKING_NO.fullmatch(n).group(3) for n in numbers] == [f"{i:04d}" for i in range(1, 13)]
    assert all(n.startswith("1A2B3C4D-260302-") and valid_tracking_number(n) for n in numbers)


def test_the_sequence_survives_a_restart_on_the_same_day(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    with open_database(path) as db:
        first = [file_one(db, "1A2B3C4D", NOON), file_one(db, "1A2B3C4D", NOON)]
    with open_database(path) as db:
        after = file_one(db, "1A2B3C4D", NOON + timedelta(hours=3))
    assert after not in first and TRACKING_NO.fullmatch(after).group(3) == "0003"


def test_the_day_is_the_kiosks_local_day_and_each_day_counts_from_one(kiosk_db):
    late_evening_utc = datetime(2026, 3, 2, 15, 59, tzinfo=timezone.utc)  # 23:59 on the 2nd in Hangzhou
    after_midnight = late_evening_utc + timedelta(minutes=2)  # 00:01 on the 3rd
    a, b = file_one(kiosk_db, "1A2B3C4D", late_evening_utc), file_one(kiosk_db, "1A2B3C4D", after_midnight)
    assert a.startswith("1A2B3C4D-260302-0001") and b.startswith("1A2B3C4D-260303-0001")


def test_the_database_refuses_a_repeated_sequence_for_one_kiosk_and_day(kiosk_db):
    file_one(kiosk_db, "1A2B3C4D", NOON)

    def duplicate(session) -> None:  # noqa: ANN001
        row = session.scalars(select(FiledRequest)).one()
        session.add(FiledRequest(tracking_no="OTHER", kiosk_code=row.kiosk_code, local_day=row.local_day,
                                 day_seq=row.day_seq, category="repair"))

    with pytest.raises(IntegrityError):
        kiosk_db.write(duplicate)


def test_kiosk_code_is_the_install_before_enrollment_and_the_kiosk_id_after(kiosk_db):
    with kiosk_db.session() as s:
        before = filing.kiosk_code(s)
    install_hex = kiosk_db.identity.install_id.replace("-", "").upper()
    assert before == "Z" + install_hex[:7]
    kiosk_db.write(lambda s: write_credentials(s, Credentials("K-9F3E21AB", "secret", "C-01")))
    with kiosk_db.session() as s:
        assert filing.kiosk_code(s) == "9F3E21AB"
    # two codes never meet: enrolled ids are hex, the install code starts with Z
    assert not before.startswith(tuple("0123456789ABCDEF"))


def test_a_bad_kiosk_code_is_refused_before_anything_is_stored(kiosk_db):
    from kiosk.requests.errors import RequestError

    with pytest.raises(RequestError) as info:
        kiosk_db.write(lambda s: filing.file_request(s, DRAFT, None, "k-1", now=NOON))
    assert info.value.key == "requests.kiosk_code_invalid"
    with kiosk_db.session() as s:
        assert s.scalars(select(FiledRequest)).all() == []


def test_the_check_character_catches_every_single_wrong_character_and_most_swaps():
    number = tracking_number("1A2B3C4D", "260302", 57)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i, ch in enumerate(number):
        if ch == "-":
            continue
        for other in alphabet:
            if other != ch:
                typo = number[:i] + other + number[i + 1:]
                assert not valid_tracking_number(typo), typo
    body = number[:-1].replace("-", "")
    swaps = [(i, body[i], body[i + 1]) for i in range(len(body) - 1) if body[i] != body[i + 1]]
    caught = sum(not valid_tracking_number(_swapped(number, i)) for i, _a, _b in swaps)
    assert caught / len(swaps) >= 0.9


def _swapped(number: str, body_index: int) -> str:
    positions = [i for i, ch in enumerate(number[:-1]) if ch != "-"]
    i, j = positions[body_index], positions[body_index + 1]
    chars = list(number)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)

