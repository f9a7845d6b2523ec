"""Real-time status (DLE EOT n) decoded from recorded reply bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from devices.printer.status import PrinterStatus, decode_status, is_valid_reply, status_request

S = PrinterStatus
IDLE = b"\x12"  # 0001 0010: the fixed bits only


def replies(n1: bytes | None = IDLE, n2: bytes | None = IDLE, n4: bytes | None = IDLE):
    return {1: n1, 2: n2, 4: n4}


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        (replies(), S.OK),
        # n=1, bit 3 (0x08): offline
        (replies(n1=b"\x1a"), S.OFFLINE),
        # n=2, bit 2 (0x04): cover open; bit 5 (0x20): printing stopped at paper end
        (replies(n1=b"\x1a", n2=b"\x16"), S.COVER_OPEN),
        (replies(n2=b"\x16"), S.COVER_OPEN),
        (replies(n2=b"\x32"), S.PAPER_OUT),
        # n=4, bits 2-3 (0x0C): near end; bits 5-6 (0x60): paper end
        (replies(n4=b"\x1e"), S.NEAR_END),
        (replies(n4=b"\x16"), S.NEAR_END),
        (replies(n4=b"\x1a"), S.NEAR_END),
        (replies(n4=b"\x72"), S.PAPER_OUT),
        (replies(n4=b"\x32"), S.PAPER_OUT),
        (replies(n4=b"\x52"), S.PAPER_OUT),
        (replies(n1=b"\x1a", n2=b"\x32", n4=b"\x7e"), S.PAPER_OUT),
        # an open cover also reads as no paper: the cover is what to fix first
        (replies(n1=b"\x1a", n2=b"\x36", n4=b"\x72"), S.COVER_OPEN),
        (replies(n1=b"\x1a", n4=b"\x1e"), S.OFFLINE),
    ],
)
def test_decode_recorded_replies(recorded, expected):
    assert decode_status(recorded) is expected


@pytest.mark.parametrize(
    "recorded",
    [
        replies(n1=None),
        replies(n4=b""),
        replies(n2=b"\x00"),  # bit 4 and bit 1 missing: not a status reply
        replies(n4=b"\x92"),  # bit 7 set
        replies(n1=b"\x13"),  # bit 0 set
        replies(n1=b"\xff"),
        {},
    ],
)
def test_missing_or_malformed_replies_give_unknown_not_ok(recorded):
    assert decode_status(recorded) is S.UNKNOWN


def test_a_known_problem_wins_over_a_missing_reply():
    assert decode_status(replies(n1=None, n4=b"\x72")) is S.PAPER_OUT
    assert decode_status(replies(n2=b"", n4=b"\x1e")) is S.NEAR_END


def test_the_last_byte_of_a_reply_is_the_answer():
    assert decode_status(replies(n4=b"\x72\x12")) is S.OK
    assert decode_status(replies(n4=b"\x12\x72")) is S.PAPER_OUT


def test_valid_reply_pattern_is_0xx1xx10():
    valid = [b for b in range(256) if is_valid_reply(b)]
    assert len(valid) == 16
    for b in valid:
        bits = f"{b:08b}"
        assert bits[0] == "0" and bits[3] == "1" and bits[6:] == "10"


def test_status_requests_are_dle_eot_n():
    assert [status_request(n) for n in (1, 2, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]
    with pytest.raises(ValueError):
        status_request(3)


def test_blocking_conditions_are_paper_out_cover_open_offline():
    assert {s for s in S if s.blocks_printing} == {S.PAPER_OUT, S.COVER_OPEN, S.OFFLINE}


LOCALES = Path(__file__).resolve().parents[2] / "locales"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_status_key_is_translated(lang):
    with (LOCALES / lang / "LC_MESSAGES" / "printer.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for status in S:
        message = catalog.get(status.key)
        assert message is not None and message.string, (lang, status.key)
