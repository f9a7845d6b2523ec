"""Both decoder backends on generated QR frames: which distortions each one reads."""

from __future__ import annotations

import numpy as np
import pytest

from devices.scanner import synthetic as syn
from devices.scanner.decoders import PyzbarDecoder, ZxingDecoder, make_decoder

TOKEN = "KIOSK1.k7.1767225600.5f3a9c2e.ABCDEFGHIJKLMNOP"


@pytest.fixture(scope="module")
def base() -> np.ndarray:
    return syn.qr_image(TOKEN, module_px=6)


def frame_for(case: str, base: np.ndarray) -> np.ndarray:
    if case == "plain":
        return syn.on_canvas(base)
    if case.startswith("rotated_"):
        return syn.on_canvas(syn.rotate(base, float(case.split("_")[1])))
    if case == "blurred":
        return syn.on_canvas(syn.blur(base, 2.0))
    if case == "heavily_blurred":
        return syn.on_canvas(syn.blur(base, 3.0))
    if case == "low_contrast":
        return syn.on_canvas(syn.low_contrast(base, 110, 150))
    if case == "perspective":
        return syn.on_canvas(syn.perspective(base, 0.3))
    if case == "small":
        return syn.on_canvas(syn.scale(base, 0.4))  # ~2.4 px per module
    if case == "inverted":
        return syn.on_canvas(syn.invert(base), background=30)
    raise AssertionError(case)


# What each backend reads, as observed with zxing-cpp 3.1 and zbar 0.23.92 (see report).
READS = {
    "plain": {"zxing", "pyzbar"},
    "rotated_15": {"zxing", "pyzbar"},
    "rotated_45": {"zxing", "pyzbar"},
    "rotated_90": {"zxing", "pyzbar"},
    "blurred": {"zxing", "pyzbar"},
    "heavily_blurred": {"zxing"},
    "low_contrast": {"zxing"},
    "perspective": {"zxing", "pyzbar"},
    "small": {"zxing", "pyzbar"},
    "inverted": {"zxing"},
}


@pytest.fixture(scope="module", params=["zxing", "pyzbar"])
def decoder(request):
    return make_decoder(request.param)


@pytest.mark.parametrize("case", sorted(READS))
def test_backend_reads_exactly_the_distortions_it_handles(decoder, base, case):
    results = decoder.decode(frame_for(case, base))
    if decoder.name in READS[case]:
        assert [(r.payload, r.symbology, r.source) for r in results] == [
            (TOKEN, "qrcode", decoder.name)]
        assert results[0].raw == TOKEN.encode()
    else:  # a miss is an empty list, never a wrong payload
        assert results == []


@pytest.mark.parametrize("case", sorted(READS))
def test_auto_decoder_is_zxing_and_reads_every_case(base, case):
    decoder = make_decoder("auto")
    assert isinstance(decoder, ZxingDecoder)
    assert [r.payload for r in decoder.decode(frame_for(case, base))] == [TOKEN]


@pytest.mark.parametrize("shape", [(0, 0), (720, 0), (0, 1280)])
def test_empty_array_gives_no_results(decoder, shape):
    assert decoder.decode(np.zeros(shape, dtype=np.uint8)) == []


def test_blank_and_noise_frames_give_no_results(decoder):
    rng = np.random.default_rng(3)
    assert decoder.decode(np.zeros((720, 1280), dtype=np.uint8)) == []
    assert decoder.decode(np.full((720, 1280), 255, dtype=np.uint8)) == []
    assert decoder.decode(rng.integers(0, 256, (720, 1280), dtype=np.uint8)) == []


def test_colour_frame_is_converted_to_grey(decoder, base):
    bgr = np.dstack([syn.on_canvas(base)] * 3)
    assert [r.payload for r in decoder.decode(bgr)] == [TOKEN]


def test_two_codes_in_one_frame_are_both_returned(decoder):
    frame = syn.on_canvas(syn.qr_image("FIRST-CODE", 5), at=(40, 40))
    second = syn.qr_image("SECOND-CODE", 5)
    frame[300:300 + second.shape[0], 700:700 + second.shape[1]] = second
    assert sorted(r.payload for r in decoder.decode(frame)) == ["FIRST-CODE", "SECOND-CODE"]


def test_non_image_array_is_rejected(decoder):
    with pytest.raises(ValueError):
        decoder.decode(np.zeros((4, 4, 4, 4), dtype=np.uint8))


def test_unknown_format_is_refused_at_construction():
    with pytest.raises(ValueError):
        PyzbarDecoder(formats=("datamatrix",))
    with pytest.raises(ValueError):
        ZxingDecoder(formats=())
