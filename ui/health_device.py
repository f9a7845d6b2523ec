"""Health devices on the Qt side: prompts re-emitted on the Qt thread, readiness in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from devices.base import PromptHandler
from devices.state import DeviceState, StateReport
from kiosk.i18n import N_, _, translator, tr

NOT_CONFIGURED = N_("This device is not set up at this kiosk.")
GENERIC_FAULT = N_("The device has a problem. Please ask a member of staff.")
REASON_NOT_CONFIGURED_KEY = "device_hub.not_configured"


def translated(key: str, params: dict[str, object] | None = None, fallback: str = GENERIC_FAULT) -> str:
    """The catalogue text of a device message key, or calm fallback words when it has none."""
    if not key:
        return _(fallback)
    text = translator.gettext(key)
    if text == key:  # no translation: never show a raw key to a resident
        translator.missing.discard((translator.language, key))
        return _(fallback)
    return tr(key, **(params or {}))


_CALL = QEvent.Type(QEvent.registerEventType())


class _Call(QEvent):
    """A function to run on the receiver's thread (posted: thread-safe, never blocks the poster)."""

    def __init__(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        super().__init__(_CALL)
        self.fn, self.args = fn, args


class QtRelay(QObject):
    """Runs ``post``-ed calls on the Qt thread; a deleted relay drops them.

    Events, not ``Signal.emit``: PySide6 6.12's ``emit`` releases a reference to ``True`` it does
    not own (one per call); device threads post hundreds of progress steps per measurement.
    """

    def post(self, fn: Callable[..., None], *args: Any) -> None:
        """Any thread: run ``fn(*args)`` on this relay's thread soon after."""
        QCoreApplication.postEvent(self, _Call(fn, args))

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        if event.type() == _CALL:
            event.fn(*event.args)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class QtPromptHandler(PromptHandler):
    """A driver's prompts and progress, delivered to ``on_event`` on the Qt thread.

    The driver calls ``prompt``/``progress`` on its worker thread; they are posted over.
    ``on_event(handler, what, key, fraction, params)`` receives the handler too, so a screen can
    ignore a late event from a measurement it already cancelled.
    """

    def __init__(self, parent: QObject, on_event: Callable[..., None]) -> None:
        self.relay = QtRelay(parent)
        self._on_event = on_event

    def prompt(self, key: str, **params: object) -> None:
        self.relay.post(self._on_event, self, "prompt", key, None, dict(params))

    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        self.relay.post(self._on_event, self, "progress", key, fraction, dict(params))

    def close(self) -> None:
        self.relay.deleteLater()


class DeviceStateRelay(QtRelay):
    """Calls ``on_change(role)`` on the Qt thread for DeviceHub state changes (driver threads)."""

    def __init__(self, parent: QObject, on_change: Callable[[str], None]) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self._unsubscribe: Callable[[], None] | None = None

    def watch(self, hub: Any) -> None:
        if hub is not None and self._unsubscribe is None:
            self._unsubscribe = hub.subscribe(lambda role, _report: self.post(self._on_change, role))

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str  # translated words: why it is not ready ("" when ready)


def readiness(report: StateReport | None, configured: bool) -> Readiness:
    """Whether a role can measure now, from its hub state; a device that is merely
    disconnected connects on use, so only ERROR or "not configured" make it not ready."""
    if not configured or report is None or report.reason_key == REASON_NOT_CONFIGURED_KEY:
        return Readiness(False, _(NOT_CONFIGURED))
    if report.state is DeviceState.ERROR:
        return Readiness(False, translated(report.reason_key, report.params))
    return Readiness(True, "")


def role_readiness(hub: Any, role: str) -> Readiness:
    if hub is None:
        return Readiness(False, _(NOT_CONFIGURED))
    if not hub.is_configured(role):
        return Readiness(False, _(NOT_CONFIGURED))
    return readiness(hub.state(role), True)
