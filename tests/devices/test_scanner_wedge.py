"""Keyboard-wedge assembler: scanner bursts become scans, a person's typing passes through."""

from __future__ import annotations

import pytest

from devices.scanner.wedge import WedgeAssembler


def type_keys(assembler, keys, start_s=0.0, gap_s=0.01):
    """Feed ``keys`` ``gap_s`` apart; return (passthrough keys, scans, last time)."""
    passthrough, scans, t = [], [], start_s
    for key in keys:
        out = assembler.feed(key, t)
        passthrough += out.passthrough
        if out.scan:
            scans.append(out.scan)
        t += gap_s
    return passthrough, scans, t - gap_s


def test_fast_burst_ending_in_enter_is_one_scan_and_nothing_is_typed():
    a = WedgeAssembler()
    passthrough, scans, _ = type_keys(a, list("KIOSK1.abc") + ["Enter"], gap_s=0.008)
    assert passthrough == []
    assert [(s.payload, s.raw, s.symbology, s.source) for s in scans] == [
        ("KIOSK1.abc", b"KIOSK1.abc", "unknown", "wedge")]


@pytest.mark.parametrize("enter", ["\r", "\n", "Enter", "Return"])
def test_every_enter_spelling_ends_a_scan(enter):
    _, scans, _ = type_keys(WedgeAssembler(), list("12345") + [enter])
    assert [s.payload for s in scans] == ["12345"]


def test_slow_human_typing_passes_through_in_order_including_enter():
    a = WedgeAssembler()
    passthrough, scans, _ = type_keys(a, list("hello") + ["Enter"], gap_s=0.2)
    assert scans == []
    assert passthrough == list("hello") + ["Enter"]


def test_held_character_is_released_by_poll_after_the_gap():
    a = WedgeAssembler(max_gap_s=0.05)
    assert a.feed("7", 1.0).passthrough == []
    assert a.poll(1.03) == []
    assert a.poll(1.06) == ["7"]
    assert a.holding == 0


def test_burst_shorter_than_min_length_is_typing_not_a_scan():
    passthrough, scans, _ = type_keys(WedgeAssembler(min_length=4), ["1", "2", "Enter"])
    assert scans == []
    assert passthrough == ["1", "2", "Enter"]


def test_slow_enter_after_a_fast_burst_is_not_a_scan():
    a = WedgeAssembler()
    passthrough, _, t = type_keys(a, list("ABCDEF"))
    out = a.feed("Enter", t + 0.3)
    assert out.scan is None
    assert passthrough + out.passthrough == list("ABCDEF") + ["Enter"]


def test_person_typing_then_a_scan_keeps_both_apart():
    a = WedgeAssembler()
    human, _, t = type_keys(a, list("ab"), gap_s=0.3)
    out = a.feed("X", t + 0.3)  # the scanner starts: releases the person's last key
    burst, scans, _ = type_keys(a, list("12345") + ["Enter"], start_s=t + 0.31)
    assert human + out.passthrough + burst == ["a", "b"]
    assert [s.payload for s in scans] == ["X12345"]


def test_special_key_inside_a_burst_releases_it_as_typing():
    a = WedgeAssembler()
    passthrough, scans, _ = type_keys(a, ["1", "2", "3", "Backspace", "4", "Enter"])
    assert scans == []
    assert passthrough == ["1", "2", "3", "Backspace", "4", "Enter"]


def test_configured_gap_decides_what_counts_as_a_burst():
    strict = WedgeAssembler(max_gap_s=0.02)
    _, scans, _ = type_keys(strict, list("ABCDE") + ["Enter"], gap_s=0.03)
    assert scans == []
    _, scans, _ = type_keys(WedgeAssembler(max_gap_s=0.05), list("ABCDE") + ["Enter"], gap_s=0.03)
    assert [s.payload for s in scans] == ["ABCDE"]


def test_burst_over_max_length_is_given_back_as_typing():
    a = WedgeAssembler(min_length=2, max_length=4)
    passthrough, scans, _ = type_keys(a, list("ABCDE"))
    assert passthrough == list("ABCDE") and scans == []


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        WedgeAssembler(max_gap_s=0)
    with pytest.raises(ValueError):
        WedgeAssembler(min_length=5, max_length=4)
