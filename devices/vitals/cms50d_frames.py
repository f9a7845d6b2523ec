"""Pure parser of Contec CMS50D+ (older firmware) 5-byte live-data frames, and its encoder."""

from __future__ import annotations

from dataclasses import dataclass

from devices.errors import ProtocolError

FRAME_LEN = 5
SYNC_BIT = 0x80

# byte0 flags
FLAG_FINGER_OUT = 0x10
FLAG_SPO2_DROPPING = 0x20
FLAG_BEAT = 0x40
# byte2 flags
FLAG_PROBE_ERROR = 0x10
FLAG_SEARCHING = 0x20
PULSE_HIGH_BIT = 0x40

SPO2_INVALID = 127
PULSE_INVALID = 255


@dataclass(frozen=True)
class Cms50Frame:
    """One live-data frame; ``spo2_pct``/``pulse_bpm`` are None where the device marks invalid."""

    signal_strength: int
    finger_out: bool
    spo2_dropping: bool
    beat: bool
    pleth: int
    bargraph: int
    probe_error: bool
    searching: bool
    pulse_bpm: int | None
    spo2_pct: int | None

    @property
    def valid(self) -> bool:
        """A frame that carries a usable measurement (finger in, probe fine, not searching)."""
        return not (
            self.finger_out or self.probe_error or self.searching
            or self.spo2_pct is None or self.pulse_bpm is None
        )


def parse_frame(frame: bytes) -> Cms50Frame:
    """Decode exactly one 5-byte frame; raises ProtocolError for anything else."""
    if len(frame) != FRAME_LEN:
        raise ProtocolError(f"CMS50 frame must be {FRAME_LEN} bytes, got {len(frame)}")
    b0, b1, b2, b3, b4 = frame
    if not b0 & SYNC_BIT:
        raise ProtocolError(f"CMS50 frame must start with a sync byte, got {b0:#04x}")
    if any(b & SYNC_BIT for b in (b1, b2, b3, b4)):
        raise ProtocolError("CMS50 frame has a sync bit inside its body")
    pulse = ((b2 & PULSE_HIGH_BIT) << 1) | b3
    spo2 = b4 & 0x7F
    return Cms50Frame(
        signal_strength=b0 & 0x0F,
        finger_out=bool(b0 & FLAG_FINGER_OUT),
        spo2_dropping=bool(b0 & FLAG_SPO2_DROPPING),
        beat=bool(b0 & FLAG_BEAT),
        pleth=b1 & 0x7F,
        bargraph=b2 & 0x0F,
        probe_error=bool(b2 & FLAG_PROBE_ERROR),
        searching=bool(b2 & FLAG_SEARCHING),
        pulse_bpm=None if pulse == PULSE_INVALID else pulse,
        spo2_pct=None if spo2 == SPO2_INVALID else spo2,
    )


def encode_frame(
    *,
    spo2_pct: int | None,
    pulse_bpm: int | None,
    finger_out: bool = False,
    probe_error: bool = False,
    searching: bool = False,
    beat: bool = False,
    spo2_dropping: bool = False,
    signal_strength: int = 5,
    pleth: int = 0x40,
    bargraph: int = 5,
) -> bytes:
    """Build the frame an oximeter would send (for twins and tests); None = invalid marker."""
    pulse = PULSE_INVALID if pulse_bpm is None else pulse_bpm
    spo2 = SPO2_INVALID if spo2_pct is None else spo2_pct
    if not (0 <= pulse <= 255 and 0 <= spo2 <= 127):
        raise ValueError("pulse must fit 8 bits and SpO2 7 bits")
    b0 = SYNC_BIT | (signal_strength & 0x0F)
    b0 |= FLAG_FINGER_OUT if finger_out else 0
    b0 |= FLAG_SPO2_DROPPING if spo2_dropping else 0
    b0 |= FLAG_BEAT if beat else 0
    b2 = bargraph & 0x0F
    b2 |= FLAG_PROBE_ERROR if probe_error else 0
    b2 |= FLAG_SEARCHING if searching else 0
    b2 |= PULSE_HIGH_BIT if pulse & 0x80 else 0
    return bytes((b0, pleth & 0x7F, b2, pulse & 0x7F, spo2))


class FrameAssembler:
    """Cuts a byte stream into frames, resynchronising on garbage.

    Bytes before a sync byte are skipped; a frame whose body holds a byte with bit 7 set is
    dropped and assembly restarts at that byte (it may be the start of the next real frame).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.discarded_bytes = 0

    def feed(self, data: bytes) -> list[Cms50Frame]:
        self._buffer.extend(data)
        frames: list[Cms50Frame] = []
        buf = self._buffer
        while buf:
            if not buf[0] & SYNC_BIT:
                start = next((i for i, b in enumerate(buf) if b & SYNC_BIT), len(buf))
                self.discarded_bytes += start
                del buf[:start]
                continue
            body = range(1, min(len(buf), FRAME_LEN))
            body_sync = next((i for i in body if buf[i] & SYNC_BIT), 0)
            if body_sync:
                self.discarded_bytes += body_sync
                del buf[:body_sync]
                continue
            if len(buf) < FRAME_LEN:
                break
            frames.append(parse_frame(bytes(buf[:FRAME_LEN])))
            del buf[:FRAME_LEN]
        return frames

