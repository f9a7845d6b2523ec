"""The one public state every driver reports, with a translatable reason key."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field
from typing import Callable

from devices.listeners import Listeners
from devices.messages import N_


class DeviceState(enum.Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    READY = "ready"
    BUSY = "busy"
    ERROR = "error"


@dataclass(frozen=True)
class StateReport:
    """A state plus why (message key and parameters for the UI's catalogue)."""

    state: DeviceState
    reason_key: str = ""
    params: dict[str, object] = field(default_factory=dict)


StateListener = Callable[[StateReport], None]


class StateHolder:
    """Thread-safe current state with listeners, called on the thread that changes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._report = StateReport(DeviceState.DISCONNECTED, N_("device.state.not_started"))
        self._listeners: Listeners[StateReport] = Listeners("device state")

    @property
    def report(self) -> StateReport:
        with self._lock:
            return self._report

    @property
    def state(self) -> DeviceState:
        return self.report.state

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def set(self, state: DeviceState, reason_key: str = "", **params: object) -> None:
        report = StateReport(state, reason_key, dict(params))
        with self._lock:
            if report == self._report:
                return
            self._report = report
        self._listeners.emit(report)
