"""The technician's test page: Chinese text and punctuation, the yuan sign, a width ruler, QR, cut."""

from __future__ import annotations

from devices.printer.document import Align, ReceiptDocument
from devices.printer.layout import paper_spec

TEST_PAGE_QR = "KIOSK-PRINTER-TEST"


def test_page(paper_mm: int) -> ReceiptDocument:
    """A page that shows at a glance whether CJK, ￥, widths, QR and the cutter work."""
    paper = paper_spec(paper_mm)
    ruler = "".join(str(i % 10) for i in range(1, paper.columns + 1))
    return (
        ReceiptDocument()
        .title("社区服务终端")
        .text("测试页 TEST PAGE", align=Align.CENTER, bold=True)
        .separator("=")
        .text("中文标点：“”，。！")
        .row("金额 Amount", "￥12.50")
        .row("纸宽 Paper", f"{paper.width_mm} mm / {paper.columns} cols")
        .text(ruler)
        .separator()
        .qr(TEST_PAGE_QR)
        .footer("打印正常 Printer OK")
        .cut()
    )


test_page.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name
