"""Lay a ReceiptDocument out for 58/80 mm paper and render it to ESC/POS bytes via python-escpos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import segno
from escpos.capabilities import get_profile
from escpos.constants import QR_ECLEVEL_H, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q
from escpos.escpos import Escpos
from escpos.image import EscposImage
from escpos.printer import Dummy
from PIL import Image

from devices.errors import DeviceError
from devices.messages import N_
from devices.printer.document import (
    Align,
    BlankLines,
    Cut,
    Footer,
    KeyValue,
    QrCode,
    ReceiptDocument,
    Separator,
    Style,
    TextLine,
    Title,
)
from devices.printer.layout import PaperSpec, key_value_lines, paper_spec, wrap

INIT = b"\x1b\x40"
CHINESE_ON = b"\x1c\x26"
CHINESE_OFF = b"\x1c\x2e"
CUT_FULL = b"\x1d\x56\x00"
CUT_PARTIAL = b"\x1d\x56\x01"
RASTER_IMAGE = b"\x1d\x76\x30"  # GS v 0: raster bit image
QR_QUIET_ZONE_MODULES = 4
_EC_LEVELS = {"L": QR_ECLEVEL_L, "M": QR_ECLEVEL_M, "Q": QR_ECLEVEL_Q, "H": QR_ECLEVEL_H}
_ALIGN_NAMES = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}
_PLAIN = Style()


@dataclass(frozen=True)
class PrintLine:
    """One printed text line; ``text`` fits ``paper.columns // style.width`` columns."""

    text: str
    style: Style


Op = Union[PrintLine, QrCode, BlankLines, Cut]


def qr_symbol(block: QrCode) -> segno.QRCode:
    return segno.make(block.data, error=block.error.lower(), micro=False, boost_error=False)


def qr_module_dots(block: QrCode, paper: PaperSpec) -> int:
    """The module size to print with: the block's or ~0.75 mm, shrunk so the code fits the paper."""
    wanted = block.module_dots or (6 if paper.dots <= 384 else 8)
    modules = qr_symbol(block).symbol_size(scale=1, border=QR_QUIET_ZONE_MODULES)[0]
    return max(1, min(wanted, paper.dots // modules))


def qr_raster_image(block: QrCode, paper: PaperSpec) -> Image.Image:
    """The QR as a greyscale image, left-padded so it sits aligned within the paper's dots.

    Padding in the image (instead of ESC a) because cheap printers ignore justification for
    raster images.
    """
    scale = qr_module_dots(block, paper)
    rows = qr_symbol(block).matrix_iter(scale=scale, border=QR_QUIET_ZONE_MODULES)
    pixels = b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)
    size = int(len(pixels) ** 0.5)
    code = Image.frombytes("L", (size, size), pixels)
    offset = {Align.LEFT: 0, Align.CENTER: (paper.dots - size) // 2, Align.RIGHT: paper.dots - size}
    canvas = Image.new("L", (offset[block.align] + size, size), 255)
    canvas.paste(code, (offset[block.align], 0))
    return canvas


def layout(doc: ReceiptDocument, paper: PaperSpec) -> list[Op]:
    """Turn blocks into printed lines (wrapped, wide characters counted as 2) and other ops."""
    ops: list[Op] = []
    for block in doc.blocks:
        if isinstance(block, (Title, TextLine, Footer)):
            columns = paper.columns // block.style.width
            ops.extend(PrintLine(line, block.style) for line in wrap(block.text, columns))
        elif isinstance(block, KeyValue):
            style = Style(bold=block.bold)
            ops.extend(PrintLine(line, style) for line in key_value_lines(block.key, block.value, paper.columns))
        elif isinstance(block, Separator):
            ops.append(PrintLine(block.char * paper.columns, _PLAIN))
        elif isinstance(block, QrCode):
            ops.append(QrCode(block.data, qr_module_dots(block, paper), block.error, block.align))
        elif isinstance(block, (BlankLines, Cut)):
            ops.append(block)
        else:
            raise TypeError(f"not a receipt block: {block!r}")
    return ops


class _Emitter:
    """Writes ops into a python-escpos printer, sending style commands only when they change."""

    def __init__(self, printer: Escpos, renderer: "ReceiptRenderer") -> None:
        self.p = printer
        self.r = renderer
        self.style = _PLAIN  # what ESC @ leaves: left, not bold, 1x1

    def set_style(self, style: Style) -> None:
        if style.align != self.style.align:
            self.p.set(align=_ALIGN_NAMES[style.align])
        if style.bold != self.style.bold:
            self.p.set(bold=style.bold)
        if (style.width, style.height) != (self.style.width, self.style.height):
            self.p.set(custom_size=True, width=style.width, height=style.height)
        self.style = style

    def line(self, text: str) -> None:
        if text.isascii():
            self.p.text(text + "\n")
            return
        # python-escpos prints lone full-width punctuation as "?": send GB18030 ourselves.
        self.p._raw(CHINESE_ON + text.encode("gb18030") + CHINESE_OFF)
        self.p.text("\n")

    def qr(self, block: QrCode) -> None:
        assert block.module_dots is not None
        if self.r.native_qr:
            self.set_style(Style(block.align, self.style.bold, self.style.width, self.style.height))
            self.p.qr(block.data, ec=_EC_LEVELS[block.error], size=block.module_dots, native=True)
            return
        self.set_style(Style(Align.LEFT, self.style.bold, self.style.width, self.style.height))
        image = EscposImage(qr_raster_image(block, self.r.paper))
        header = RASTER_IMAGE + bytes([0]) + image.width_bytes.to_bytes(2, "little")
        self.p._raw(header + image.height.to_bytes(2, "little") + image.to_raster_format())

    def cut(self, block: Cut) -> None:
        if block.feed_lines:
            self.p.text("\n" * block.feed_lines)
        full, part = self.r.can_cut_full, self.r.can_cut_partial
        if (block.partial and part) or (part and not full):
            self.p._raw(CUT_PARTIAL)
        elif full:
            self.p._raw(CUT_FULL)
        # no cutter (e.g. ZJ-5870): the feed alone lets staff tear the receipt off

    def emit(self, ops: list[Op]) -> None:
        self.p._raw(INIT)
        for op in ops:
            if isinstance(op, PrintLine):
                self.set_style(op.style)
                self.line(op.text)
            elif isinstance(op, BlankLines):
                if op.count > 0:
                    self.p.text("\n" * op.count)
            elif isinstance(op, QrCode):
                self.qr(op)
            else:
                self.cut(op)
        self.set_style(_PLAIN)


class ReceiptRenderer:
    """Renders documents for one paper width and python-escpos capability profile."""

    def __init__(self, paper_mm: int = 58, profile: str = "default", native_qr: bool | None = None) -> None:
        self.paper = paper_spec(paper_mm)
        self.profile_name = profile
        try:
            caps = get_profile(profile)
        except KeyError:
            raise DeviceError(
                f"unknown python-escpos profile {profile!r}",
                key=N_("printer.profile_unknown"),
                profile=profile,
            ) from None
        self.native_qr = caps.supports("qrCode") if native_qr is None else bool(native_qr)
        self.can_cut_full = caps.supports("paperFullCut")
        self.can_cut_partial = caps.supports("paperPartCut")

    def layout(self, doc: ReceiptDocument) -> list[Op]:
        return layout(doc, self.paper)

    def render(self, doc: ReceiptDocument) -> bytes:
        """The whole job as bytes: ESC @, the blocks, styles reset at the end. Pure; any thread."""
        # After ESC @ the printer is on code table 0 (PC437); telling MagicEncode so stops it
        # from sending ESC t before ASCII text, which is all that goes through it.
        printer = Dummy(profile=self.profile_name, magic_encode_args={"encoding": "CP437"})
        _Emitter(printer, self).emit(self.layout(doc))
        return printer.output
