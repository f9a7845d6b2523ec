"""The kiosk's live devices: one driver per configured role, created on first use, closed once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from devices import registry
from devices.errors import DeviceError
from devices.state import DeviceState, StateReport
from kiosk.config import KioskConfig
from kiosk.i18n import N_

log = logging.getLogger(__name__)

REASON_NOT_CONFIGURED = N_("device_hub.not_configured")
REASON_CANNOT_CREATE = N_("device_hub.cannot_create")

HubListener = Callable[[str, StateReport], None]  # role, its new state (on the driver's thread)


class DeviceHub:
    """Creates each configured role's driver lazily (no I/O: drivers connect when used).

    Thread-safe. ``get`` never raises: a role that is not configured or whose driver cannot
    be created answers None and ``state(role)`` says why (a translatable reason key), so a
    screen shows "not ready" instead of a dead button.
    """

    def __init__(self, config: KioskConfig) -> None:
        self._config = config
        self._drivers: dict[str, Any] = {}
        self._failed: dict[str, StateReport] = {}
        self._unsubscribe: list[Callable[[], None]] = []
        self._listeners: list[HubListener] = []
        self._lock = threading.RLock()
        self._closed = False

    def configured_roles(self) -> list[str]:
        return [role for role in self._config.devices]

    def is_configured(self, role: str) -> bool:
        return role in self._config.devices

    def preload_modules(self) -> None:
        """Import the configured drivers' modules (OpenCV, NumPy, bleak...) without creating them.

        The runtime runs this on a worker after the first paint, while nobody is using the kiosk,
        so the first screen that needs a device does not stall on imports. Never raises.
        """
        for role, setting in list(self._config.devices.items()):
            if self._closed:
                return
            try:
                registry.get(role, setting.driver).load()
            except Exception as exc:  # noqa: BLE001 - get() reports the real problem later
                log.info("driver module for %s not preloaded: %s", role, type(exc).__name__)

    def get(self, role: str) -> Any | None:
        """The role's driver (created on first call), or None when unconfigured or broken."""
        with self._lock:
            if self._closed:
                return None
            if role in self._drivers:
                return self._drivers[role]
            if role in self._failed:
                return None
            setting = self._config.devices.get(role)
            if setting is None:
                self._failed[role] = StateReport(DeviceState.DISCONNECTED, REASON_NOT_CONFIGURED)
                return None
            try:
                driver = registry.create(role, setting.driver, **setting.options)
            except (DeviceError, KeyError, TypeError, ValueError) as exc:
                log.warning("device %s (%s) cannot be created: %s", role, setting.driver, type(exc).__name__)
                key = exc.key if isinstance(exc, DeviceError) else REASON_CANNOT_CREATE
                params = dict(exc.params) if isinstance(exc, DeviceError) else {"role": role}
                self._failed[role] = StateReport(DeviceState.ERROR, key, params)
                return None
            self._drivers[role] = driver
            state = getattr(driver, "state", None)
            if state is not None:
                self._unsubscribe.append(state.subscribe(lambda report, r=role: self._notify(r, report)))
            return driver

    def state(self, role: str) -> StateReport:
        """The role's current state; creating the driver if needed (never raises, no I/O)."""
        driver = self.get(role)
        if driver is None:
            with self._lock:
                return self._failed.get(role, StateReport(DeviceState.DISCONNECTED, REASON_NOT_CONFIGURED))
        holder = getattr(driver, "state", None)
        return holder.report if holder is not None else StateReport(DeviceState.READY)

    def usable(self, role: str) -> bool:
        """True when the role has a driver that is not in ERROR (disconnected drivers connect on use)."""
        driver = self.get(role)
        return driver is not None and self.state(role).state is not DeviceState.ERROR

    def subscribe(self, listener: HubListener) -> Callable[[], None]:
        """Call ``listener(role, report)`` on every state change of any created driver."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, role: str, report: StateReport) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(role, report)
            except Exception:  # noqa: BLE001 - one bad listener must not break a driver thread
                log.exception("device state listener failed")

    def reconfigure(self, config: KioskConfig) -> None:
        """Use ``config``'s device roles from now on, keeping every subscriber (BLOCKING: a worker).

        The current drivers are closed; the new ones are created on first use as usual, and
        subscribers hear each configured role's new state so screens re-render at once.
        """
        with self._lock:
            drivers, self._drivers = dict(self._drivers), {}
            unsubscribe, self._unsubscribe = self._unsubscribe, []
            self._failed.clear()
            self._config = config
        for fn in unsubscribe:
            fn()
        self._close_all(drivers)
        for role in self.configured_roles():
            self._notify(role, self.state(role))

    def close(self) -> None:
        """Close every created driver (blocking up to a few seconds each); idempotent."""
        with self._lock:
            self._closed = True
            drivers, self._drivers = dict(self._drivers), {}
            unsubscribe, self._unsubscribe = self._unsubscribe, []
        for fn in unsubscribe:
            fn()
        self._close_all(drivers)

    @staticmethod
    def _close_all(drivers: dict[str, Any]) -> None:
        for role, driver in drivers.items():
            try:
                driver.close()
            except Exception as exc:  # noqa: BLE001 - closing must reach every device
                log.warning("device %s did not close cleanly: %s", role, type(exc).__name__)
