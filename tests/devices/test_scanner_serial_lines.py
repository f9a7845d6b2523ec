"""The pure serial line splitter: terminators, splits, length cap, garbage, cut-off lines."""

from __future__ import annotations

import pytest

from devices.scanner.serial_lines import GARBLED, INCOMPLETE, TOO_LONG, Line, LineSplitter, Rejected


@pytest.mark.parametrize("ending", [b"\r\n", b"\n", b"\r"])
def test_each_terminator_ends_a_line(ending):
    s = LineSplitter()
    assert s.feed(b"CODE-1" + ending + b"CODE-2" + ending) == [Line(b"CODE-1"), Line(b"CODE-2")]


def test_crlf_split_across_reads_gives_no_empty_line():
    s = LineSplitter()
    assert s.feed(b"ABC\r") == [Line(b"ABC")]
    assert s.feed(b"\nDEF\r") == [Line(b"DEF")]
    assert s.feed(b"\n") == []


def test_line_split_byte_by_byte_is_assembled():
    s = LineSplitter()
    events = []
    for byte in b"KIOSK-42\r\n":
        events += s.feed(bytes([byte]))
    assert events == [Line(b"KIOSK-42")]


def test_utf8_and_tab_are_delivered_raw():
    s = LineSplitter()
    assert s.feed("社区\tA\n".encode()) == [Line("社区\tA".encode())]


def test_line_over_the_cap_is_rejected_once_and_the_next_line_is_fine():
    s = LineSplitter(max_line_bytes=8)
    assert s.feed(b"123456789ABC") == []
    assert s.feed(b"DEF\nOK\n") == [Rejected(TOO_LONG, 15), Line(b"OK")]


def test_line_exactly_at_the_cap_is_accepted():
    s = LineSplitter(max_line_bytes=8)
    assert s.feed(b"12345678\n") == [Line(b"12345678")]


def test_line_with_control_bytes_is_reported_as_garbled():
    s = LineSplitter()
    assert s.feed(b"\x00\x13\xffAB\x7f\nGOOD\n") == [Rejected(GARBLED, 6), Line(b"GOOD")]


def test_flush_reports_a_cut_off_line_and_forgets_it():
    s = LineSplitter()
    s.feed(b"PARTI")
    assert s.pending_bytes == 5
    assert s.flush() == Rejected(INCOMPLETE, 5)
    assert s.flush() is None
    assert s.feed(b"AL\n") == [Line(b"AL")]


def test_flush_of_an_over_long_line_reports_too_long():
    s = LineSplitter(max_line_bytes=4)
    s.feed(b"1234567")
    assert s.flush() == Rejected(TOO_LONG, 7)


def test_zero_cap_is_refused():
    with pytest.raises(ValueError):
        LineSplitter(0)
