"""The health receipt through the real printer driver: python-escpos Dummy bytes, both languages."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from devices.printer.factories import dummy_printer
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import assess
from kiosk.health.receipt import health_receipt, view_payload
from kiosk.i18n import set_language

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)
CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXY2"
URL = f"http://192.168.1.20:8470/h/{CHECK}"
GS_K, RASTER = b"\x1d\x28\x6b", b"\x1d\x76\x30"


def measurements() -> list[Measurement]:
    return [
        Measurement("bp", {"systolic_mmhg": 135.0, "diastolic_mmhg": 85.0, "pulse_bpm": 72.0}, NOW, "bp", "sim"),
        Measurement("spo2", {"spo2_pct": 88.0}, NOW, "spo2", "sim"),
    ]


def printed(thresholds, *, name: str | None, qr: str | None, paper_mm: int = 58, native_qr: bool = True) -> bytes:
    ms = measurements()
    doc = health_receipt(ms, {m.kind: assess(m, thresholds) for m in ms}, masked_name=name, when=NOW,
                         view_payload=qr, paper_mm=paper_mm)
    printer = dummy_printer(paper_mm=paper_mm, native_qr=native_qr)
    try:
        result = printer.print(doc)
        data = printer.transport.output
    finally:
        printer.close()
    assert result.bytes_sent == len(data)
    return data


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def test_chinese_receipt_has_masked_name_values_categories_advice_and_qr(thresholds):
    data = printed(thresholds, name="王*国", qr=URL)
    assert data.startswith(b"\x1b\x40")
    for text in ("健康检测结果", "王*国", "135/85", "正常高值", "血氧", "偏低", "社区医生", "仅供参考"):
        assert gb(text) in data, text
    assert gb("王建国") not in data
    qr = URL.encode("ascii")
    assert GS_K + bytes([(len(qr) + 3) & 0xFF, (len(qr) + 3) >> 8]) + b"\x31\x50\x30" + qr in data
    assert b"\x1d\x56\x00" in data[-8:]  # cut at the end (then alignment reset)


def test_english_receipt_and_a_guest_without_qr(thresholds):
    set_language("en")
    data = printed(thresholds, name=None, qr=None, paper_mm=80)
    for text in (b"Health check results", b"Guest", b"135/85 mmHg", b"High-normal", b"Low", b"community doctor"):
        assert text in data, text
    assert GS_K not in data and RASTER not in data


def test_image_qr_decodes_to_the_view_url(thresholds):
    data = printed(thresholds, name="王*国", qr=URL, native_qr=False)
    start = data.find(RASTER)
    m, xl, xh, yl, yh = data[start + 3: start + 8]
    width, height = (xl + 256 * xh), yl + 256 * yh
    bits = np.unpackbits(np.frombuffer(data[start + 8: start + 8 + width * height], dtype=np.uint8))
    image = Image.fromarray(((1 - bits.reshape(height, width * 8)) * 255).astype(np.uint8), "L")
    assert [r.text for r in zxingcpp.read_barcodes(np.asarray(image))] == [URL]


def test_view_payload_is_the_servers_page_of_the_check():
    assert view_payload("http://192.168.1.20:8470/", CHECK) == URL
    with pytest.raises(ValueError):
        view_payload("", CHECK)
    with pytest.raises(ValueError):
        view_payload("http://x", "../admin")


def test_paper_width_must_be_a_real_roll(thresholds):
    with pytest.raises(ValueError):
        health_receipt(measurements(), {}, masked_name=None, when=NOW, view_payload=None, paper_mm=60)
