"""Speech drivers: pyttsx3 (espeak-ng / SAPI5 / NSSpeech), a silent null driver and a fake twin."""

from devices.registry import DriverInfo, OptionSpec, register
from devices.speech.availability import pyttsx3_available

_OPTIONS = (
    OptionSpec("rate_wpm", int, 140, "Words per minute; slower suits elderly listeners."),
    OptionSpec("volume", float, 0.8, "Volume 0..1."),
    OptionSpec("voices", dict, None, "Voice id per language, e.g. {'zh_CN': 'sit/cmn'}; empty = per OS."),
    OptionSpec("player", str, "", "Audio player command; empty = first of aplay, paplay, pw-play."),
)
_CAPABILITIES = frozenset({"say", "interrupt", "file", "voices", "rate", "volume"})

register(
    DriverInfo(
        role="speech",
        driver_id="pyttsx3",
        factory_path="devices.speech.pyttsx3_backend:Pyttsx3Speech",
        capabilities=_CAPABILITIES,
        options=_OPTIONS,
        doc="pyttsx3 in a child process writes WAV files; a killable audio player speaks them.",
        availability=pyttsx3_available,
    )
)
register(
    DriverInfo(
        role="speech",
        driver_id="null",
        factory_path="devices.speech.null_backend:NullSpeech",
        doc="Speaks nothing; the kiosk keeps working and doctor reports speech as off.",
    )
)
register(
    DriverInfo(
        role="speech",
        driver_id="fake",
        factory_path="devices.speech.fake_backend:RecordingSpeech",
        capabilities=_CAPABILITIES,
        options=_OPTIONS,
        simulated=True,
        doc="Records what would be said; for demos and tests.",
    )
)
