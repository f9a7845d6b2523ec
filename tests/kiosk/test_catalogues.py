"""Every message marked in the source has a zh_CN and an en translation with the same placeholders."""

import pytest

from kiosk.catalogue_check import conflicts, problems, source_messages
from kiosk.i18n import Translator, placeholders


def test_every_marked_message_is_translated_with_matching_placeholders():
    found = problems()
    assert not found, "\n".join(f"{p.lang}: {p.msgid!r}: {p.what}" for p in found[:40])


def test_no_message_is_translated_two_ways_in_different_catalogue_files():
    found = conflicts()
    assert not found, "\n".join(f"{p.lang}: {p.msgid!r}: {p.what}" for p in found[:40])


def test_the_source_marks_messages_at_all():
    # Guards the test above against an extractor that silently finds nothing.
    assert len(source_messages()) > 20


def test_placeholders_are_compared_by_name():
    assert placeholders("{count} waiting to sync") == {"count"}
    assert placeholders("还有{count}条待同步") == {"count"}
    assert placeholders("{a} and {b:>3}") == {"a", "b"}


def test_missing_translation_is_recorded_and_falls_back_to_the_msgid(tmp_path):
    for lang, text in (("zh_CN", "你好"), ("en", "Hello")):
        folder = tmp_path / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "t.po").write_text(
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "Hello"\nmsgstr "{text}"\n',
            encoding="utf-8",
        )
    t = Translator(tmp_path)
    assert t.gettext("Hello") == "你好"
    assert t.gettext("Goodbye") == "Goodbye"
    assert ("zh_CN", "Goodbye") in t.missing
    t.set_language("en")
    assert t.gettext("Hello") == "Hello"


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(ValueError):
        Translator(tmp_path).set_language("fr")
