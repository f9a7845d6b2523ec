"""Health-profile UUIDs and the pure characteristic-to-parser dispatch used by the BLE transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from devices.errors import ProtocolError
from devices.vitals import gatt
from devices.vitals.gatt_cursor import PROTOCOL_ERROR_KEY

BLUETOOTH_BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb"

SERVICE_BLOOD_PRESSURE = 0x1810
SERVICE_HEALTH_THERMOMETER = 0x1809
SERVICE_WEIGHT_SCALE = 0x181D
SERVICE_PULSE_OXIMETER = 0x1822
SERVICE_GLUCOSE = 0x1808

CHAR_BLOOD_PRESSURE = 0x2A35
CHAR_INTERMEDIATE_CUFF_PRESSURE = 0x2A36
CHAR_TEMPERATURE = 0x2A1C
CHAR_WEIGHT = 0x2A9D
CHAR_PLX_SPOT_CHECK = 0x2A5E
CHAR_PLX_CONTINUOUS = 0x2A5F
CHAR_GLUCOSE = 0x2A18
CHAR_RECORD_ACCESS_CONTROL_POINT = 0x2A52

# Value written to the CCCD (0x2902): bleak writes it for us in start_notify, choosing
# indications (02 00) when the characteristic indicates; 01 00 would leave an indicating
# meter silent.
CCCD_NOTIFY = b"\x01\x00"
CCCD_INDICATE = b"\x02\x00"


def uuid16_to_128(short: int) -> str:
    """0x1810 -> '00001810-0000-1000-8000-00805f9b34fb' (the form bleak reports)."""
    if not 0 <= short <= 0xFFFF:
        raise ValueError(f"not a 16-bit UUID: {short!r}")
    return f"0000{short:04x}{BLUETOOTH_BASE_UUID_SUFFIX}"


def normalise_uuid(uuid: str | int) -> str:
    """Any of 0x2a35, '2A35', '00002a35-...' -> the lower-case 128-bit string."""
    if isinstance(uuid, int):
        return uuid16_to_128(uuid)
    text = str(uuid).strip().lower()
    if len(text) == 4:
        return uuid16_to_128(int(text, 16))
    return text


@dataclass(frozen=True)
class ProfileSpec:
    """One health profile: its service, the result characteristic and optional extras."""

    kind: str  # the readings' ``kind``: bp, temperature, weight, spo2, glucose
    service: int
    measurement: int
    progress: int | None = None  # streamed for live feedback, never a result
    record_access: int | None = None  # RACP: ask the meter to send its stored records


PROFILES: dict[str, ProfileSpec] = {
    "bp": ProfileSpec("bp", SERVICE_BLOOD_PRESSURE, CHAR_BLOOD_PRESSURE,
                      progress=CHAR_INTERMEDIATE_CUFF_PRESSURE),
    "temperature": ProfileSpec("temperature", SERVICE_HEALTH_THERMOMETER, CHAR_TEMPERATURE),
    "weight": ProfileSpec("weight", SERVICE_WEIGHT_SCALE, CHAR_WEIGHT),
    "spo2": ProfileSpec("spo2", SERVICE_PULSE_OXIMETER, CHAR_PLX_SPOT_CHECK),
    "spo2_continuous": ProfileSpec("spo2", SERVICE_PULSE_OXIMETER, CHAR_PLX_CONTINUOUS),
    "glucose": ProfileSpec("glucose", SERVICE_GLUCOSE, CHAR_GLUCOSE,
                           record_access=CHAR_RECORD_ACCESS_CONTROL_POINT),
}

HEALTH_SERVICE_UUIDS: tuple[str, ...] = tuple(
    uuid16_to_128(s) for s in (SERVICE_BLOOD_PRESSURE, SERVICE_HEALTH_THERMOMETER,
                               SERVICE_WEIGHT_SCALE, SERVICE_PULSE_OXIMETER, SERVICE_GLUCOSE)
)

PARSERS: dict[str, Callable[[bytes], Any]] = {
    uuid16_to_128(CHAR_BLOOD_PRESSURE): gatt.parse_blood_pressure,
    uuid16_to_128(CHAR_INTERMEDIATE_CUFF_PRESSURE): gatt.parse_intermediate_cuff_pressure,
    uuid16_to_128(CHAR_TEMPERATURE): gatt.parse_temperature,
    uuid16_to_128(CHAR_WEIGHT): gatt.parse_weight,
    uuid16_to_128(CHAR_PLX_SPOT_CHECK): gatt.parse_plx_spot_check,
    uuid16_to_128(CHAR_PLX_CONTINUOUS): gatt.parse_plx_continuous,
    uuid16_to_128(CHAR_GLUCOSE): gatt.parse_glucose,
}


def dispatch(char_uuid: str | int, data: bytes) -> Any:
    """Parse ``data`` with the parser of characteristic ``char_uuid``.

    Raises what the parser raises (ProtocolError, InvalidMeasurement) and ProtocolError for a
    characteristic without a parser.
    """
    parser = PARSERS.get(normalise_uuid(char_uuid))
    if parser is None:
        raise ProtocolError(f"no parser for characteristic {char_uuid}", key=PROTOCOL_ERROR_KEY)
    return parser(data)


def profiles_for_services(service_uuids: list[str]) -> list[str]:
    """Profile names whose service is among an advertisement's service UUIDs."""
    wanted = {normalise_uuid(u) for u in service_uuids}
    return [name for name, spec in PROFILES.items()
            if uuid16_to_128(spec.service) in wanted]


# Record Access Control Point (GLS): "report stored records" / "all records", and responses.
RACP_REPORT_STORED_RECORDS = 0x01
RACP_RESPONSE_CODE = 0x06
RACP_OPERATOR_ALL = 0x01
RACP_SUCCESS = 0x01
RACP_NO_RECORDS = 0x06


def racp_report_all_records() -> bytes:
    return bytes([RACP_REPORT_STORED_RECORDS, RACP_OPERATOR_ALL])


def parse_racp_response(data: bytes) -> tuple[int, int] | None:
    """(request op code, response value) of an RACP Response Code indication, else None."""
    if len(data) >= 4 and data[0] == RACP_RESPONSE_CODE:
        return data[2], data[3]
    return None
