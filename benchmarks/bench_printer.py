"""Receipt printing: render time of the test page (native and image QR) and a full job on the sim twin."""

from __future__ import annotations

import time

from devices.printer.factories import sim_printer
from devices.printer.render import ReceiptRenderer
from devices.printer.test_page import test_page


def _per_call_ms(fn, repeat: int) -> float:
    fn()  # warm caches (profiles, segno tables)
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) * 1000 / repeat


def run() -> list[tuple[str, float, str]]:
    doc58, doc80 = test_page(58), test_page(80)
    native = ReceiptRenderer(58, native_qr=True)
    image58 = ReceiptRenderer(58, native_qr=False)
    image80 = ReceiptRenderer(80, native_qr=False)
    rows = [
        ("printer render test page 58 mm, native QR", _per_call_ms(lambda: native.render(doc58), 200), "ms"),
        ("printer render test page 58 mm, image QR", _per_call_ms(lambda: image58.render(doc58), 50), "ms"),
        ("printer render test page 80 mm, image QR", _per_call_ms(lambda: image80.render(doc80), 50), "ms"),
        ("printer test page size 58 mm, image QR", float(len(image58.render(doc58))), "bytes"),
    ]
    printer = sim_printer(paper_mm=58)
    try:
        rows.append(("printer sim job incl. status before/after", _per_call_ms(lambda: printer.print(doc58), 50), "ms"))
    finally:
        printer.close()
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:48s} {value:10.2f} {unit}")
