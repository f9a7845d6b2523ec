"""Column arithmetic for receipts: paper widths, East Asian wide characters, wrapping."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from devices.errors import DeviceError
from devices.messages import N_


@dataclass(frozen=True)
class PaperSpec:
    """Printable width of a paper roll in dots and in ASCII (Font A, 12-dot) columns."""

    width_mm: int
    dots: int
    columns: int


PAPERS = {58: PaperSpec(58, 384, 32), 80: PaperSpec(80, 576, 48)}


def paper_spec(paper_mm: int) -> PaperSpec:
    """The spec for a 58 or 80 mm roll; DeviceError ``printer.paper_width_unsupported`` otherwise."""
    try:
        return PAPERS[int(paper_mm)]
    except (KeyError, TypeError, ValueError):
        raise DeviceError(
            f"paper width {paper_mm!r} mm is not supported (58 or 80)",
            key=N_("printer.paper_width_unsupported"),
            paper_mm=paper_mm,
        ) from None


# Characters a line should not start with (Chinese line-breaking rule, "避头点").
_NO_LINE_START = frozenset("，。、；：？！）》」』】”’…—,.;:?!)]}%")


def normalise_text(text: str) -> str:
    """Text as a Chinese printer should get it: full-width yuan, no tabs or control characters.

    U+00A5 "¥" is not in GB2312/GBK; GB18030 maps it to the four-byte sequence 81 30 84 36,
    which the GBK fonts of Chinese receipt printers print as garbage or "?". The full-width
    U+FFE5 "￥" is the GB2312 character A3 A4 that every Chinese printer font has.
    """
    text = text.replace("\u00a5", "\uffe5").replace("\t", " ").replace("\r\n", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


def char_columns(ch: str) -> int:
    """Columns one character takes on a receipt: 1 for ASCII, 2 for wide characters.

    East Asian Wide/Fullwidth characters take 2; so do Ambiguous ones (“ ” · — …), because a
    Chinese printer prints every double-byte GB code from its 24-dot full-width font (the
    East Asian legacy context of UAX #11). Combining marks take none.
    """
    if " " <= ch <= "~":
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_columns(text: str) -> int:
    """Columns ``text`` (one line) takes when printed at normal width."""
    return sum(char_columns(ch) for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def _wrap_paragraph(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    width = 0
    for ch in text:
        w = char_columns(ch)
        if width + w > columns and line:
            cut = -1
            if _is_word_char(ch) and _is_word_char(line[-1]):
                cut = line.rfind(" ")  # break an ASCII word at the last space, if any
            if cut > 0:
                lines.append(line[:cut].rstrip())
                line = line[cut + 1 :]
            else:
                lines.append(line.rstrip())
                line = ""
            if ch in _NO_LINE_START and not line and len(lines[-1]) > 1:
                line, lines[-1] = lines[-1][-1], lines[-1][:-1]
            width = text_columns(line)
            if ch == " " and not line:
                continue
        line += ch
        width += w
    lines.append(line.rstrip())
    return lines


def wrap(text: str, columns: int) -> list[str]:
    """Split ``text`` into lines of at most ``columns`` columns (wide characters count 2)."""
    if columns < 2:
        raise ValueError(f"cannot wrap into {columns} column(s)")
    lines: list[str] = []
    for paragraph in normalise_text(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns))
    return lines


def key_value_lines(key: str, value: str, columns: int) -> list[str]:
    """A key on the left and its value flush right; wrapped when both do not fit on one line."""
    key, value = normalise_text(key).replace("\n", " "), normalise_text(value).replace("\n", " ")
    gap = columns - text_columns(key) - text_columns(value)
    if gap >= 1:
        return [key + " " * gap + value]
    lines = wrap(key, columns)
    for part in wrap(value, columns):
        lines.append(" " * (columns - text_columns(part)) + part)
    return lines
