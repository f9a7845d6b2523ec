"""Exact ESC/POS bytes on the dummy printer, built from the table in STANDARDS.md section 4."""

from __future__ import annotations

import pytest

from devices import registry
from devices.printer.document import Align, ReceiptDocument
from devices.printer.status import PrinterStatus
from devices.printer.test_page import test_page

# --- STANDARDS.md section 4, written out independently of the implementation ---
INIT = b"\x1b\x40"
BOLD_ON, BOLD_OFF = b"\x1b\x45\x01", b"\x1b\x45\x00"
LEFT, CENTRE, RIGHT = b"\x1b\x61\x00", b"\x1b\x61\x01", b"\x1b\x61\x02"
CN_ON, CN_OFF = b"\x1c\x26", b"\x1c\x2e"
CUT_FULL, CUT_PARTIAL = b"\x1d\x56\x00", b"\x1d\x56\x01"
LF = b"\x0a"


def size(w: int, h: int) -> bytes:
    return b"\x1d\x21" + bytes([((w - 1) << 4) | (h - 1)])


def chinese(text: str) -> bytes:
    return CN_ON + text.encode("gb18030") + CN_OFF


def native_qr(data: bytes, module: int, ec: int) -> bytes:
    n = len(data) + 3
    return (
        b"\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"  # model 2
        + b"\x1d\x28\x6b\x03\x00\x31\x43" + bytes([module])
        + b"\x1d\x28\x6b\x03\x00\x31\x45" + bytes([0x30 + ec])
        + b"\x1d\x28\x6b" + bytes([n & 0xFF, n >> 8]) + b"\x31\x50\x30" + data
        + b"\x1d\x28\x6b\x03\x00\x31\x51\x30"
    )


@pytest.fixture
def make_printer():
    printers = []

    def make(driver_id: str = "dummy", **options):
        printer = registry.create("printer", driver_id, **options)
        printers.append(printer)
        return printer

    yield make
    for printer in printers:
        printer.close()


def test_small_receipt_bytes_on_dummy_printer_match_the_escpos_table(make_printer):
    printer = make_printer(paper_mm=58)
    doc = (
        ReceiptDocument()
        .title("收据")
        .row("Total", "¥12.50")
        .separator()
        .text("Thanks", align=Align.RIGHT, bold=True)
        .qr("ABC123")
        .cut()
    )
    printer.print(doc)
    expected = (
        INIT
        + CENTRE + BOLD_ON + size(2, 2) + CN_ON + b"\xca\xd5\xbe\xdd" + CN_OFF + LF
        # "Total" + 20 spaces + full-width yuan A3 A4 + "12.50" = 32 columns
        + LEFT + BOLD_OFF + size(1, 1) + CN_ON + b"Total" + b" " * 20 + b"\xa3\xa412.50" + CN_OFF + LF
        + b"-" * 32 + LF
        + RIGHT + BOLD_ON + b"Thanks" + LF
        + CENTRE + native_qr(b"ABC123", module=6, ec=1)
        + LF * 4 + CUT_FULL
        + LEFT + BOLD_OFF
    )
    assert printer.transport.output == expected


def test_ascii_only_text_is_sent_without_chinese_mode_or_codepage_switch(make_printer):
    printer = make_printer(paper_mm=80)
    printer.print(ReceiptDocument().text("Queue no. 42").blank(2).cut(partial=True, feed_lines=1))
    assert printer.transport.output == INIT + b"Queue no. 42" + LF + LF * 2 + LF + CUT_PARTIAL


@pytest.mark.parametrize(
    ("paper_mm", "columns", "module", "amount_gap", "paper_gap"),
    [(58, 32, 6, 14, 7), (80, 48, 8, 30, 23)],
)
def test_test_page_bytes_on_dummy_printer(make_printer, paper_mm, columns, module, amount_gap, paper_gap):
    printer = make_printer(paper_mm=paper_mm)
    result = printer.print(test_page(paper_mm))
    ruler = "".join(str(i % 10) for i in range(1, columns + 1)).encode()
    expected = (
        INIT
        + CENTRE + BOLD_ON + size(2, 2) + chinese("社区服务终端") + LF
        + size(1, 1) + chinese("测试页 TEST PAGE") + LF
        + LEFT + BOLD_OFF + b"=" * columns + LF
        + chinese("中文标点：“”，。！") + LF
        + chinese("金额 Amount" + " " * amount_gap + "￥12.50") + LF
        + chinese("纸宽 Paper" + " " * paper_gap + f"{paper_mm} mm / {columns} cols") + LF
        + ruler + LF
        + b"-" * columns + LF
        + CENTRE + native_qr(b"KIOSK-PRINTER-TEST", module=module, ec=1)
        + chinese("打印正常 Printer OK") + LF
        + LF * 4 + CUT_FULL
        + LEFT
    )
    assert printer.transport.output == expected
    assert result.bytes_sent == len(expected)


def test_test_page_chinese_punctuation_is_never_replaced_by_question_marks(make_printer):
    printer = make_printer(paper_mm=58)
    printer.print(test_page(58))
    out = printer.transport.output
    assert b"?" not in out
    # GB2312 codes of the full-width punctuation on the page: ： “ ” ， 。 ！
    for code in (b"\xa3\xba", b"\xa1\xb0", b"\xa1\xb1", b"\xa3\xac", b"\xa1\xa3", b"\xa3\xa1"):
        assert code in out
    # The yuan sign goes out as full-width A3 A4, never as GB18030's four-byte U+00A5.
    assert b"\xa3\xa412.50" in out
    assert b"\x81\x30\x84\x36" not in out


def test_dummy_printer_reports_status_unknown_not_ok(make_printer):
    printer = make_printer()
    result = printer.print(ReceiptDocument().text("x"))
    assert printer.status() is PrinterStatus.UNKNOWN
    assert (result.status_before, result.status_after) == (PrinterStatus.UNKNOWN, PrinterStatus.UNKNOWN)
    assert printer.transport.output.startswith(INIT)  # no status request was written
    assert b"\x10\x04" not in printer.transport.output


def test_profile_without_cutter_feeds_but_sends_no_cut(make_printer):
    printer = make_printer(profile="ZJ-5870")
    printer.print(ReceiptDocument().text("x").cut())
    assert printer.transport.output == INIT + b"x" + LF + LF * 4
