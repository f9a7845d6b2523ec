"""Receipt layout: 58/80 mm column widths, wide characters counted as 2, wrapping, key/value rows."""

from __future__ import annotations

import re
import unicodedata

import pytest

from devices.errors import DeviceError
from devices.printer.document import Align, ReceiptDocument, Style
from devices.printer.layout import key_value_lines, normalise_text, paper_spec, text_columns, wrap
from devices.printer.render import PrintLine, ReceiptRenderer


def columns_of(text: str) -> int:
    """Independent count: W, F and A (ambiguous, full-width in a GB font) take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" and not c.isascii() else 1 for c in text)


LONG_MIXED = (
    "社区食堂今天中午供应红烧鱼、清炒时蔬和米饭，请您凭积分兑换餐券。"
    "Meals are served from 11:00 to 12:30 at the community canteen, room 101. "
    "“老年助餐”服务：满60岁八折，满80岁免费！"
)


def test_paper_widths_are_32_and_48_columns_and_384_and_576_dots():
    assert (paper_spec(58).columns, paper_spec(58).dots) == (32, 384)
    assert (paper_spec(80).columns, paper_spec(80).dots) == (48, 576)


def test_unsupported_paper_width_is_a_device_error_with_key():
    with pytest.raises(DeviceError) as info:
        paper_spec(57)
    assert info.value.key == "printer.paper_width_unsupported"
    assert info.value.params == {"paper_mm": 57}


def test_wide_and_ambiguous_chinese_characters_count_two_columns():
    assert text_columns("abc") == 3
    assert text_columns("中文") == 4
    assert text_columns("“你好”，。！") == 14
    assert text_columns("￥12.50") == 7


def test_forty_chinese_characters_wrap_into_lines_of_sixteen_on_58_mm():
    text = "一二三四五六七八九十" * 4
    assert [len(line) for line in wrap(text, 32)] == [16, 16, 8]
    assert [len(line) for line in wrap(text, 48)] == [24, 16]


def test_ascii_words_wrap_at_spaces_not_inside_words():
    assert wrap("please take your receipt from the slot", 16) == ["please take your", "receipt from the", "slot"]


def test_a_line_never_starts_with_chinese_closing_punctuation():
    lines = wrap("一二三四五六七八九十一二三四五六，后面", 32)
    assert lines == ["一二三四五六七八九十一二三四五", "六，后面"]


def test_yuan_sign_becomes_full_width_before_layout():
    assert normalise_text("¥12.50") == "￥12.50"
    assert key_value_lines("Total", "¥5", 12) == ["Total    ￥5"]


def test_key_value_that_does_not_fit_puts_the_value_right_aligned_below():
    lines = key_value_lines("服务项目名称非常非常长的一项", "已完成，请取票", 16)
    assert lines[0] == "服务项目名称非常"
    assert lines[-1].endswith("已完成，请取票") and columns_of(lines[-1]) == 16
    assert all(columns_of(line) <= 16 for line in lines)


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_no_laid_out_line_is_wider_than_the_paper(paper_mm):
    columns = paper_spec(paper_mm).columns
    doc = (
        ReceiptDocument()
        .title("社区服务终端欢迎您使用本机")
        .text(LONG_MIXED)
        .text(LONG_MIXED, width=2, height=2, align=Align.CENTER)
        .text("x" * 200)
        .row("姓名", "张*明")
        .row(LONG_MIXED, "￥1,234.50")
        .separator()
        .footer(LONG_MIXED)
    )
    lines = [op for op in ReceiptRenderer(paper_mm).layout(doc) if isinstance(op, PrintLine)]
    assert len(lines) > 10
    for line in lines:
        assert columns_of(line.text) * line.style.width <= columns, line
    assert any(columns_of(line.text) * line.style.width == columns for line in lines)


_COMMANDS = re.compile(rb"\x1b@|\x1ba[\x00-\x02]|\x1bE[\x00\x01]|\x1d![\x00-\x77]|\x1c&|\x1c\.")


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_printed_bytes_decode_to_lines_within_the_column_count(paper_mm):
    columns = paper_spec(paper_mm).columns
    doc = ReceiptDocument().text(LONG_MIXED).row(LONG_MIXED, "￥9.90").separator().footer(LONG_MIXED)
    data = _COMMANDS.sub(b"", ReceiptRenderer(paper_mm).render(doc))
    lines = data.decode("gb18030").split("\n")
    assert "".join(lines).replace(" ", "").startswith("社区食堂今天中午")
    assert max(columns_of(line) for line in lines) <= columns
    assert max(columns_of(line) for line in lines) >= columns - 1


def test_character_size_outside_one_to_eight_is_rejected():
    with pytest.raises(ValueError):
        Style(width=9)
