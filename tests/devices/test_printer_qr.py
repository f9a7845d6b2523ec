"""QR codes: native GS ( k commands when the profile has them, a raster image (segno) otherwise."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from devices.printer.document import ReceiptDocument
from devices.printer.render import ReceiptRenderer

GS_K = b"\x1d\x28\x6b"
RASTER = b"\x1d\x76\x30"
PAYLOAD = "K1.9F2A.20260101T0800Z.7d3c1e"


def raster_images(data: bytes) -> list[Image.Image]:
    """Decode every GS v 0 raster image in ``data`` back into a picture (black = set bit)."""
    images = []
    start = data.find(RASTER)
    while start != -1:
        m, xl, xh, yl, yh = data[start + 3 : start + 8]
        assert m == 0
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        body = data[start + 8 : start + 8 + width_bytes * height]
        bits = np.unpackbits(np.frombuffer(body, dtype=np.uint8)).reshape(height, width_bytes * 8)
        images.append(Image.fromarray(((1 - bits) * 255).astype(np.uint8), "L"))
        start = data.find(RASTER, start + 8 + len(body))
    return images


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(np.asarray(image))]


def test_native_qr_store_length_is_data_plus_three_little_endian():
    payload = "A" * 300  # 303 = 0x012F
    out = ReceiptRenderer(80, native_qr=True).render(ReceiptDocument().qr(payload))
    assert GS_K + b"\x2f\x01\x31\x50\x30" + payload.encode() in out
    assert RASTER not in out


def test_native_qr_error_correction_level_is_sent():
    out = ReceiptRenderer(58, native_qr=True).render(ReceiptDocument().qr("X", error="H"))
    assert GS_K + b"\x03\x00\x31\x45\x33" in out


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_image_qr_decodes_back_to_the_payload_and_fits_the_paper(paper_mm):
    renderer = ReceiptRenderer(paper_mm, native_qr=False)
    out = renderer.render(ReceiptDocument().qr(PAYLOAD))
    assert GS_K not in out
    [image] = raster_images(out)
    assert image.width <= renderer.paper.dots
    assert decode(image) == [PAYLOAD]


def test_image_qr_is_centred_on_the_paper():
    out = ReceiptRenderer(58, native_qr=False).render(ReceiptDocument().qr(PAYLOAD))
    [image] = raster_images(out)
    dark_columns = np.where((np.asarray(image) == 0).any(axis=0))[0]
    left, right = dark_columns[0], 384 - 1 - dark_columns[-1]
    assert abs(left - right) <= 6  # within one module of 6 dots


def test_long_payload_shrinks_modules_to_fit_58_mm():
    payload = "X" * 400
    renderer = ReceiptRenderer(58, native_qr=False)
    [image] = raster_images(renderer.render(ReceiptDocument().qr(payload, module_dots=8)))
    assert image.width <= 384
    assert decode(image) == [payload]


def test_profile_without_native_qr_falls_back_to_an_image():
    renderer = ReceiptRenderer(58, profile="ZJ-5870")
    assert renderer.native_qr is False
    out = renderer.render(ReceiptDocument().qr(PAYLOAD))
    assert GS_K not in out
    assert decode(raster_images(out)[0]) == [PAYLOAD]


def test_non_ascii_qr_payload_is_refused():
    with pytest.raises(ValueError):
        ReceiptDocument().qr("张三")
