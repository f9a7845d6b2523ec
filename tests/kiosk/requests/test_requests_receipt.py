"""The request receipt printed through the real printer driver into python-escpos Dummy: the
bytes carry the translated text as GB18030 and a QR that decodes to the receipt payload."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from devices import registry
from devices.errors import DeviceError
from kiosk.i18n import set_language
from kiosk.requests import filing
from kiosk.requests.catalog import default_categories, sample_places
from kiosk.requests.follow import parse_receipt_payload
from requests_helpers import hazard_draft

RASTER = b"\x1d\x76\x30"
GS_K = b"\x1d\x28\x6b"


def raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 raster image in ``data`` as a picture (black = set bit)."""
    images = []
    start = data.find(RASTER)
    while start != -1:
        _m, xl, xh, yl, yh = data[start + 3:start + 8]
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        body = data[start + 8:start + 8 + width_bytes * height]
        bits = np.unpackbits(np.frombuffer(body, dtype=np.uint8)).reshape(height, width_bytes * 8)
        images.append(Image.fromarray(((1 - bits) * 255).astype(np.uint8), "L"))
        start = data.find(RASTER, start + 8 + len(body))
    return images


@pytest.fixture
def printed(kiosk_db):  # noqa: ANN001, ANN201
    printers = []

    def print_receipt(paper_mm: int = 58, native_qr: bool = False) -> tuple[bytes, filing.Filed]:
        draft = hazard_draft(place_code="C-01-B03-0301")
        filed = kiosk_db.write(lambda s: filing.file_request(s, draft, "R-000001", "1A2B3C4D", places=sample_places()))
        doc = filing.receipt_document(filed, draft, default_categories(), sample_places(), paper_mm)
        printer = registry.create("printer", "dummy", paper_mm=paper_mm, native_qr=native_qr)
        printers.append(printer)
        printer.print(doc)
        return printer.transport.output, filed

    yield print_receipt
    for printer in printers:
        printer.close()


def test_the_chinese_receipt_prints_its_text_as_gb18030_and_a_qr_of_the_payload(printed):
    data, filed = printed(58)
    for text in ("报事报修回执", "编号", "安全隐患", "葛巷社区 3幢 2单元 301室", "紧急", "请保留好这张回执。谢谢您！"):
        assert text.encode("gb18030") in data, text
    assert filed.tracking_no.encode("ascii") in data
    assert "楼下堆满了纸箱".encode("gb18030") not in data  # the resident's own words are not printed
    [qr] = raster_images(data)
    assert qr.width <= 384
    [decoded] = [r.text for r in zxingcpp.read_barcodes(np.asarray(qr))]
    assert decoded == filed.receipt_payload
    assert parse_receipt_payload(decoded) == filed.tracking_no
    assert data.endswith(b"\x1d\x56\x00") or b"\x1dV" in data[-16:]  # cut at the end


def test_the_english_receipt_on_80_mm_paper_with_a_native_qr(printed):
    set_language("en")
    data, filed = printed(80, native_qr=True)
    for text in (b"Request receipt", b"Safety hazard", b"Gexiang Community, Building 3, Unit 2, Room 301",
                 b"Please keep this receipt. Thank you!"):
        assert text in data, text
    payload = filed.receipt_payload.encode("ascii")
    store = GS_K + (len(payload) + 3).to_bytes(2, "little") + b"\x31\x50\x30" + payload
    assert store in data and RASTER not in data


def test_an_unsupported_paper_width_is_refused(kiosk_db):
    filed = filing.Filed("1A2B3C4D-260302-00017", "KR1:1A2B3C4D-260302-00017:ABCDEF", filing.utc_now())
    with pytest.raises(DeviceError) as info:
        filing.receipt_document(filed, hazard_draft(), default_categories(), [], 76)
    assert info.value.key == "printer.paper_width_unsupported"
