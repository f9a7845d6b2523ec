"""A small receipt document model: titles, text, key/value rows, separators, QR, footer, cut."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Union


class Align(enum.Enum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


@dataclass(frozen=True)
class Style:
    """Alignment, emphasis and character magnification (1-8 each way) of a text block."""

    align: Align = Align.LEFT
    bold: bool = False
    width: int = 1
    height: int = 1

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 8 and 1 <= self.height <= 8):
            raise ValueError(f"character size {self.width}x{self.height} outside 1..8")


@dataclass(frozen=True)
class Title:
    text: str
    style: Style = Style(Align.CENTER, bold=True, width=2, height=2)


@dataclass(frozen=True)
class TextLine:
    """Free text, wrapped to the paper width (explicit newlines start new lines)."""

    text: str
    style: Style = Style()


@dataclass(frozen=True)
class KeyValue:
    """``key ......... value`` on one line, or key then right-aligned value when too long."""

    key: str
    value: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"

    def __post_init__(self) -> None:
        if len(self.char) != 1 or not (" " < self.char <= "~"):
            raise ValueError("a separator is one printable ASCII character")


@dataclass(frozen=True)
class QrCode:
    """A QR code; ``module_dots`` None lets the renderer choose for the paper width.

    Keep ``data`` ASCII: pyzbar/zbar may decode UTF-8 content as Shift-JIS (STANDARDS 5).
    """

    data: str
    module_dots: int | None = None
    error: str = "M"
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        if not self.data or not self.data.isascii():
            raise ValueError("QR payloads must be non-empty ASCII")
        if self.error not in ("L", "M", "Q", "H"):
            raise ValueError(f"QR error correction {self.error!r} is not L, M, Q or H")
        if self.module_dots is not None and not 1 <= self.module_dots <= 16:
            raise ValueError("QR module size must be 1..16 dots")


@dataclass(frozen=True)
class Footer:
    text: str
    style: Style = Style(Align.CENTER)


@dataclass(frozen=True)
class BlankLines:
    count: int = 1


@dataclass(frozen=True)
class Cut:
    """Feed ``feed_lines`` so the last line clears the cutter, then cut (if the printer can)."""

    partial: bool = False
    feed_lines: int = 4


Block = Union[Title, TextLine, KeyValue, Separator, QrCode, Footer, BlankLines, Cut]


@dataclass
class ReceiptDocument:
    """An ordered list of blocks; the builder methods return the document for chaining."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> "ReceiptDocument":
        self.blocks.append(block)
        return self

    def title(self, text: str) -> "ReceiptDocument":
        return self.add(Title(text))

    def text(
        self,
        text: str,
        *,
        align: Align = Align.LEFT,
        bold: bool = False,
        width: int = 1,
        height: int = 1,
    ) -> "ReceiptDocument":
        return self.add(TextLine(text, Style(align, bold, width, height)))

    def row(self, key: str, value: str, *, bold: bool = False) -> "ReceiptDocument":
        return self.add(KeyValue(key, value, bold))

    def separator(self, char: str = "-") -> "ReceiptDocument":
        return self.add(Separator(char))

    def qr(self, data: str, *, module_dots: int | None = None, error: str = "M") -> "ReceiptDocument":
        return self.add(QrCode(data, module_dots, error))

    def footer(self, text: str) -> "ReceiptDocument":
        return self.add(Footer(text))

    def blank(self, count: int = 1) -> "ReceiptDocument":
        return self.add(BlankLines(count))

    def cut(self, *, partial: bool = False, feed_lines: int = 4) -> "ReceiptDocument":
        return self.add(Cut(partial, feed_lines))
