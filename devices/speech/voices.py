"""Which installed voice speaks a kiosk language on each OS (espeak-ng, SAPI5, macOS)."""

from __future__ import annotations

import platform
from typing import Iterable

from devices.speech.base import VoiceInfo

# Preferred voices, best first, matched case-insensitively against a voice's id and name.
# espeak-ng (Linux): ids look like "sit/cmn" and "gmw/en-us"; Windows SAPI5 ids are registry
# paths that contain the voice name ("...TTS_MS_ZH-CN_HUIHUI_11.0"); macOS ids are
# "com.apple.speech.synthesis.voice.ting-ting" or "...Tingting".
_PREFERRED: dict[str, dict[str, tuple[str, ...]]] = {
    "Windows": {"zh": ("huihui", "yaoyao", "kangkang", "zh-cn"), "en": ("zira", "david", "en-us")},
    "Darwin": {"zh": ("ting-ting", "tingting", "meijia", "zh_cn"), "en": ("samantha", "alex", "en_us")},
    "espeak": {"zh": ("sit/cmn",), "en": ("gmw/en-us", "en-us")},
}
# Language tags that may stand for a kiosk language in a voice's ``languages``.
_LANGUAGE_TAGS = {"zh": ("cmn", "zh-cn", "zh_cn", "zh"), "en": ("en-us", "en_us", "en-gb", "en")}


def language_family(lang: str) -> str:
    """"zh_CN" -> "zh", "en" / "en_US" -> "en"."""
    return lang.replace("-", "_").split("_", 1)[0].lower()


def engine_family(system: str | None = None) -> str:
    system = system or platform.system()
    return system if system in ("Windows", "Darwin") else "espeak"


def choose_voice(lang: str, available: Iterable[VoiceInfo], system: str | None = None) -> str:
    """The id of the best installed voice for ``lang`` on ``system``; "" when none fits."""
    voices = list(available)
    family = language_family(lang)
    for wanted in _PREFERRED[engine_family(system)].get(family, ()):
        for voice in voices:
            if voice.id.lower() == wanted:
                return voice.id
        for voice in voices:
            if wanted in voice.id.lower() or wanted in voice.name.lower():
                return voice.id
    for tag in _LANGUAGE_TAGS.get(family, (family,)):
        for voice in voices:
            if any(code.lower().replace("_", "-") == tag.replace("_", "-") for code in voice.languages):
                return voice.id
    return ""
