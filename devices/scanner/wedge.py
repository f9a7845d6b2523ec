"""Keyboard-wedge scan assembler (pure, no Qt): fast key bursts ending in Enter become one scan."""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.scanner.result import ScanResult

ENTER_KEYS = frozenset({"\r", "\n", "Enter", "Return"})


@dataclass
class WedgeOutput:
    """What to do with the keys fed so far: deliver ``passthrough`` as typing, act on ``scan``."""

    passthrough: list[str] = field(default_factory=list)
    scan: ScanResult | None = None


class WedgeAssembler:
    """Tells a scanner typing (keys < ``max_gap_s`` apart) from a person typing.

    Feed every key press with its time stamp: a one-character string, or a key name such as
    "Enter" or "Backspace". Characters are held back while they may be a scan; a burst of at
    least ``min_length`` characters closed by Enter within ``max_gap_s`` becomes a ScanResult
    (the Enter is swallowed). Anything else is handed back as ``passthrough`` to deliver as
    normal input, in order: on the next slow key, or from :meth:`poll` once ``max_gap_s`` has
    passed (the UI calls it from a timer), so a person's keys are delayed at most ``max_gap_s``.
    Wedge scanners send no symbology and cannot carry non-ASCII text through an input method.
    """

    def __init__(self, max_gap_s: float = 0.05, min_length: int = 4,
                 max_length: int = 512) -> None:
        if max_gap_s <= 0 or min_length < 1 or max_length < min_length:
            raise ValueError("need max_gap_s > 0 and 1 <= min_length <= max_length")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max_length
        self._held: list[str] = []
        self._last_s: float | None = None

    def feed(self, key: str, timestamp_s: float) -> WedgeOutput:
        """Process one key press at ``timestamp_s`` (seconds, monotonic)."""
        out = WedgeOutput()
        in_burst = (self._held and self._last_s is not None
                    and timestamp_s - self._last_s <= self.max_gap_s)
        if key in ENTER_KEYS:
            if in_burst and len(self._held) >= self.min_length:
                text = "".join(self._held)
                out.scan = ScanResult.from_raw(text.encode("utf-8"), "unknown", "wedge")
                self._held.clear()
            else:
                out.passthrough = self._release() + [key]
            self._last_s = timestamp_s
            return out
        if not in_burst:
            out.passthrough = self._release()
        if len(key) != 1:  # Backspace, arrows, modifiers: a scanner never sends them
            out.passthrough += self._release() + [key]
        elif len(self._held) >= self.max_length:
            out.passthrough += self._release() + [key]
        else:
            self._held.append(key)
        self._last_s = timestamp_s
        return out

    def poll(self, now_s: float) -> list[str]:
        """Keys to deliver now because no scan followed within ``max_gap_s`` ([] otherwise)."""
        if self._held and self._last_s is not None and now_s - self._last_s > self.max_gap_s:
            return self._release()
        return []

    @property
    def holding(self) -> int:
        """How many characters are held back waiting to see if they are a scan."""
        return len(self._held)

    def _release(self) -> list[str]:
        held, self._held = self._held, []
        return held
