"""Errors raised by drivers and parsers; each carries a translatable message key."""

from __future__ import annotations

from devices.messages import N_


class DeviceError(ValueError):
    """Base of every error a driver or parser raises.

    ``key`` is a message id for the UI's catalogue (never a sentence shown as-is) and
    ``params`` fills its placeholders. ``str(err)`` is a technician-facing English detail.
    """

    key = N_("device.error")

    def __init__(self, detail: str = "", *, key: str | None = None, **params: object) -> None:
        super().__init__(detail or self.key)
        if key is not None:
            self.key = key
        self.params = params


class ProtocolError(DeviceError):
    """Bytes that do not follow the protocol: truncated, malformed, unknown frame."""

    key = N_("device.protocol_error")


class InvalidMeasurement(DeviceError):
    """The device reported that the measurement failed (NaN, NRes, INF, 'unsuccessful')."""

    key = N_("device.invalid_measurement")


class ImplausibleValue(InvalidMeasurement):
    """A decoded value outside what a living person can show; never displayed."""

    key = N_("device.implausible_value")


class DeviceUnavailable(DeviceError):
    """The driver cannot run here: missing optional dependency, no port, no device."""

    key = N_("device.unavailable")


class DeviceTimeout(DeviceError):
    """The device did not answer within its time-out."""

    key = N_("device.timeout")


class DeviceDisconnected(DeviceError):
    """The device went away during an operation."""

    key = N_("device.disconnected")


class Cancelled(DeviceError):
    """The operation was cancelled by the caller."""

    key = N_("device.cancelled")
