"""Microphones for voice notes (role "microphone"): the system input and a simulated twin."""

from devices.microphone.system import sound_card_availability
from devices.registry import DriverInfo, OptionSpec, register

register(DriverInfo(
    role="microphone", driver_id="system",
    factory_path="devices.microphone.system:SystemMicrophone",
    capabilities=frozenset({"record"}),
    options=(OptionSpec("device", str, "", "Part of the input's name; empty = the system's default input."),),
    doc="The computer's microphone, recorded through the kiosk UI's audio stack (QtMultimedia).",
    availability=sound_card_availability,
))

register(DriverInfo(
    role="microphone", driver_id="sim",
    factory_path="devices.microphone.sim:SimMicrophone",
    capabilities=frozenset({"record", "simulated"}),
    options=(
        OptionSpec("time_scale", float, 1.0, "Multiplies every duration; 0.01 for fast tests."),
        OptionSpec("text", str, None, "Sentence spoken into the note by espeak-ng; empty = a built-in one (a tone without espeak-ng)."),
        OptionSpec("voice", str, "cmn", "espeak-ng voice of that sentence."),
        OptionSpec("fault", str, "ok", "Injected condition: ok, not_found."),
    ),
    simulated=True,
    doc="Simulated microphone twin: counts time like a real one and delivers a real WAV file.",
))
