"""The Mandarin and English voice is chosen per OS from the voices actually installed."""

from __future__ import annotations

import sys

import pytest

from devices.speech.base import VoiceInfo
from devices.speech.player import find_player
from devices.speech.voices import choose_voice, language_family

WINDOWS = [
    VoiceInfo(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_DAVID_11.0", "Microsoft David Desktop", ("en_US",)),
    VoiceInfo(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ZH-CN_HUIHUI_11.0", "Microsoft Huihui Desktop", ("zh_CN",)),
    VoiceInfo(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop", ("en_US",)),
]
MAC = [
    VoiceInfo("com.apple.speech.synthesis.voice.Alex", "Alex", ("en_US",)),
    VoiceInfo("com.apple.speech.synthesis.voice.samantha", "Samantha", ("en_US",)),
    VoiceInfo("com.apple.speech.synthesis.voice.ting-ting", "Ting-Ting", ("zh_CN",)),
]
ESPEAK = [
    VoiceInfo("sit/cmn-latn-pinyin", "Chinese (Mandarin, latin as Pinyin)", ("cmn-latn-pinyin",)),
    VoiceInfo("sit/cmn", "Chinese (Mandarin, latin as English)", ("cmn",)),
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
    VoiceInfo("sit/yue", "Chinese (Cantonese)", ("yue",)),
]


@pytest.mark.parametrize(
    "system, voices, zh, en",
    [
        ("Windows", WINDOWS, WINDOWS[1].id, WINDOWS[2].id),
        ("Darwin", MAC, MAC[2].id, MAC[1].id),
        ("Linux", ESPEAK, "sit/cmn", "gmw/en-us"),
    ],
)
def test_each_os_gets_its_mandarin_and_english_voice(system, voices, zh, en):
    assert choose_voice("zh_CN", voices, system) == zh
    assert choose_voice("en", voices, system) == en


def test_a_voice_is_found_by_language_tag_when_no_preferred_name_is_installed():
    voices = [VoiceInfo("custom-1", "Some voice", ("fr",)), VoiceInfo("custom-2", "Other", ("zh-CN",))]
    assert choose_voice("zh_CN", voices, "Windows") == "custom-2"


def test_no_voice_for_a_language_gives_an_empty_id():
    assert choose_voice("zh_CN", [VoiceInfo("gmw/en-us", "English", ("en-us",))], "Linux") == ""


def test_language_family_ignores_region_and_separator():
    assert [language_family(x) for x in ("zh_CN", "zh-cn", "en", "en_US")] == ["zh", "zh", "en", "en"]


def test_a_configured_player_is_used_with_its_arguments_and_a_missing_one_gives_none(tmp_path):
    assert find_player(f"{sys.executable} -u --flag") == [sys.executable, "-u", "--flag"]
    assert find_player(str(tmp_path / "nope")) == []
