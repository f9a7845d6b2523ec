"""Payloads come from the raw bytes of a code, the same for both backends, and never crash."""

from __future__ import annotations

import pytest

from devices.errors import DeviceUnavailable
from devices.scanner import synthetic as syn
from devices.scanner.decoders import decoder_availability, make_decoder
from devices.scanner.result import ScanResult, payload_from_raw


@pytest.fixture(scope="module", params=["zxing", "pyzbar"])
def decoder(request):
    return make_decoder(request.param)


def test_ascii_raw_bytes_are_the_payload():
    assert payload_from_raw(b"KIOSK1.abc-123") == "KIOSK1.abc-123"


def test_utf8_raw_bytes_decode_as_utf8():
    assert payload_from_raw("社区服务".encode("utf-8")) == "社区服务"


def test_invalid_utf8_becomes_escaped_ascii_without_raising():
    payload = payload_from_raw(b"ab\xff\xfe\x00c")
    assert payload == "ab\\xff\\xfe\x00c"
    assert payload.encode("ascii")


def test_utf8_code_is_not_mangled_into_shift_jis(decoder):
    # zbar's own text mode turns this UTF-8 into Shift-JIS mojibake; raw bytes avoid it.
    frame = syn.on_canvas(syn.qr_image("社区服务 KIOSK"))
    [result] = decoder.decode(frame)
    assert result.raw == "社区服务 KIOSK".encode("utf-8")
    assert result.payload == "社区服务 KIOSK"
    assert not result.is_ascii


def test_latin1_code_is_returned_escaped_by_both_backends(decoder):
    # segno stores "héllo" in ISO 8859-1 byte mode: not UTF-8, so the payload is escaped ASCII.
    [result] = decoder.decode(syn.on_canvas(syn.qr_image("héllo")))
    assert result.raw == b"h\xe9llo"
    assert result.payload == "h\\xe9llo"


def test_binary_payload_is_returned_not_raised(decoder):
    raw = bytes([0x00, 0x01, 0xFF, 0x80, 0x41])
    [result] = decoder.decode(syn.on_canvas(syn.qr_image(raw)))
    assert result.raw == raw
    assert result.payload == payload_from_raw(raw)


def test_both_backends_give_equal_results_apart_from_source():
    frame = syn.on_canvas(syn.qr_image("社区 KIOSK-42"))
    zx = make_decoder("zxing").decode(frame)
    zb = make_decoder("pyzbar").decode(frame)
    assert [(r.payload, r.raw, r.symbology) for r in zx] == [(r.payload, r.raw, r.symbology) for r in zb]
    assert {r.source for r in zx} == {"zxing"} and {r.source for r in zb} == {"pyzbar"}


def test_scan_result_repr_does_not_show_the_payload():
    result = ScanResult.from_raw(b"SECRET-TOKEN", "qrcode", "zxing")
    assert "SECRET" not in repr(result)
    assert "12 bytes" in repr(result)


def test_unknown_decoder_name_is_unavailable_with_a_reason():
    ok, why = decoder_availability("opencv")
    assert not ok and "opencv" in why
    with pytest.raises(DeviceUnavailable) as err:
        make_decoder("opencv")
    assert err.value.key == "scanner.no_decoder"
