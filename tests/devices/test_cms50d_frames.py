"""Byte-vector tests of the CMS50D+ frame parser and stream assembler."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError, ProtocolError
from devices.vitals.cms50d import Cms50Frame, FrameAssembler, encode_frame, parse_frame


def test_plain_frame_decodes_pulse_spo2_and_flags():
    # sync|beat|strength 5, pleth 0x40, bargraph 5, pulse 72, SpO2 98
    frame = parse_frame(bytes([0xC5, 0x40, 0x05, 0x48, 0x62]))
    assert (frame.pulse_bpm, frame.spo2_pct) == (72, 98)
    assert frame.beat and not frame.finger_out and not frame.spo2_dropping
    assert (frame.signal_strength, frame.pleth, frame.bargraph) == (5, 0x40, 5)
    assert frame.valid


def test_pulse_bit7_comes_from_byte2_bit6():
    frame = parse_frame(bytes([0x80, 0x00, 0x40, 0x0A, 0x60]))
    assert frame.pulse_bpm == 0x80 | 0x0A  # 138 bpm


def test_spo2_ignores_bit7_of_byte4_mask():
    assert parse_frame(bytes([0x80, 0, 0, 60, 0x5F])).spo2_pct == 95


def test_finger_out_and_dropping_flags_in_byte0():
    frame = parse_frame(bytes([0x80 | 0x10 | 0x20, 0, 0, 70, 97]))
    assert frame.finger_out and frame.spo2_dropping and not frame.valid


@pytest.mark.parametrize(
    ("byte2", "probe_error", "searching"),
    [(0x10, True, False), (0x20, False, True), (0x30, True, True), (0x00, False, False)],
)
def test_probe_error_and_searching_flags_in_byte2(byte2, probe_error, searching):
    frame = parse_frame(bytes([0x80, 0, byte2, 70, 97]))
    assert (frame.probe_error, frame.searching) == (probe_error, searching)
    assert frame.valid is not (probe_error or searching)


def test_spo2_127_is_invalid_not_a_number():
    frame = parse_frame(bytes([0x80, 0, 0, 70, 0x7F]))
    assert frame.spo2_pct is None and frame.pulse_bpm == 70 and not frame.valid


def test_pulse_255_is_invalid_not_a_number():
    frame = parse_frame(bytes([0x80, 0, 0x40, 0x7F, 97]))
    assert frame.pulse_bpm is None and frame.spo2_pct == 97 and not frame.valid


@pytest.mark.parametrize(
    "data",
    [b"", bytes([0x80, 0, 0, 70]), bytes([0x80, 0, 0, 70, 97, 0]), bytes([0x00, 0, 0, 70, 97]),
     bytes([0x80, 0x81, 0, 70, 97]), bytes([0x80, 0, 0, 70, 0xE1])],
    ids=["empty", "short", "long", "no-sync", "sync-in-byte1", "sync-in-byte4"],
)
def test_malformed_frames_raise_protocol_error(data):
    with pytest.raises(ProtocolError):
        parse_frame(data)


@given(
    spo2=st.one_of(st.none(), st.integers(0, 126)),
    pulse=st.one_of(st.none(), st.integers(0, 254)),
    flags=st.tuples(*[st.booleans()] * 5),
)
def test_encoded_frames_parse_back_to_the_same_values(spo2, pulse, flags):
    finger_out, probe_error, searching, beat, dropping = flags
    frame = parse_frame(encode_frame(
        spo2_pct=spo2, pulse_bpm=pulse, finger_out=finger_out, probe_error=probe_error,
        searching=searching, beat=beat, spo2_dropping=dropping,
    ))
    assert (frame.spo2_pct, frame.pulse_bpm) == (spo2, pulse)
    assert (frame.finger_out, frame.probe_error, frame.searching, frame.beat,
            frame.spo2_dropping) == flags


def test_assembler_joins_a_frame_split_across_reads():
    data = encode_frame(spo2_pct=97, pulse_bpm=66) + encode_frame(spo2_pct=96, pulse_bpm=67)
    assembler = FrameAssembler()
    got: list[Cms50Frame] = []
    for i in range(len(data)):
        got += assembler.feed(data[i:i + 1])
    assert [(f.spo2_pct, f.pulse_bpm) for f in got] == [(97, 66), (96, 67)]


def test_assembler_skips_leading_garbage_until_a_sync_byte():
    assembler = FrameAssembler()
    frames = assembler.feed(bytes([0x01, 0x7F, 0x33]) + encode_frame(spo2_pct=95, pulse_bpm=80))
    assert [(f.spo2_pct, f.pulse_bpm) for f in frames] == [(95, 80)]
    assert assembler.discarded_bytes == 3


def test_assembler_drops_a_cut_frame_and_resyncs_on_the_next_sync_byte():
    cut = encode_frame(spo2_pct=50, pulse_bpm=40)[:3]  # a frame interrupted after 3 bytes
    good = encode_frame(spo2_pct=98, pulse_bpm=70)
    assembler = FrameAssembler()
    frames = assembler.feed(cut + good)
    assert [(f.spo2_pct, f.pulse_bpm) for f in frames] == [(98, 70)]
    assert assembler.discarded_bytes == 3


def test_assembler_keeps_an_incomplete_tail_for_the_next_feed():
    good = encode_frame(spo2_pct=98, pulse_bpm=70)
    assembler = FrameAssembler()
    assert assembler.feed(good + good[:2]) != []
    assert [(f.spo2_pct, f.pulse_bpm) for f in assembler.feed(good[2:])] == [(98, 70)]


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_assembler_never_raises_and_yields_only_well_formed_frames(data):
    try:
        frames = FrameAssembler().feed(data)
    except DeviceError as exc:  # the contract allows only DeviceErrors; none is expected here
        pytest.fail(f"assembler raised {exc!r}")
    for frame in frames:
        assert isinstance(frame, Cms50Frame)
        assert frame.spo2_pct is None or 0 <= frame.spo2_pct <= 126
