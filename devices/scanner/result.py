"""What every scanner delivers: ScanResult and ScanProblem, and raw bytes turned into a safe payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def payload_from_raw(raw: bytes) -> str:
    """Text of a code's raw bytes, decoded by us rather than by the reader's guess.

    ASCII stays as is; other valid UTF-8 is decoded as UTF-8; anything else becomes ASCII with
    ``\\xNN`` escapes, so a malformed code never raises and never looks like a valid token.
    (zbar guesses Shift-JIS for UTF-8 content, so its own text is never used.)
    """
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("ascii", errors="backslashreplace")


@dataclass(frozen=True)
class ScanResult:
    """One decoded code.

    ``payload`` is :func:`payload_from_raw` of ``raw``; ``symbology`` a lower-case name such as
    ``"qrcode"`` (``"unknown"`` when the reader cannot tell); ``source`` names the reader:
    ``"zxing"``/``"pyzbar"`` for images, ``"serial"``, ``"wedge"`` or ``"sim"``.
    """

    payload: str
    raw: bytes
    symbology: str
    source: str

    @classmethod
    def from_raw(cls, raw: bytes, symbology: str, source: str) -> "ScanResult":
        return cls(payload_from_raw(raw), bytes(raw), symbology, source)

    @property
    def is_ascii(self) -> bool:
        """True when the payload is printable ASCII (what identity tokens are made of)."""
        return all(0x20 <= b < 0x7F for b in self.raw)

    def __repr__(self) -> str:  # payloads can be identity tokens: keep them out of logs
        return f"ScanResult(<{len(self.raw)} bytes>, {self.symbology!r}, {self.source!r})"


@dataclass(frozen=True)
class ScanProblem:
    """A scan that arrived but could not be delivered (garbled, too long, cut off).

    ``reason_key`` is a catalogue key such as ``scanner.line_too_long``; ``length`` counts the
    bytes received, so the UI can ask the person to scan again.
    """

    reason_key: str
    length: int
    source: str


ScanListener = Callable[[ScanResult], None]
ProblemListener = Callable[[ScanProblem], None]
