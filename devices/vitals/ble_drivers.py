"""Bluetooth LE vitals drivers: one VitalsDevice per health profile over BleHealthTransport."""

from __future__ import annotations

from typing import Any, ClassVar

from devices.base import CancelToken, PromptHandler
from devices.errors import (
    Cancelled,
    DeviceDisconnected,
    DeviceError,
    DeviceTimeout,
    DeviceUnavailable,
    InvalidMeasurement,
)
from devices.messages import N_
from devices.registry import OptionSpec
from devices.vitals.ble import BleHealthTransport, ClientFactory, Discover, cuff_progress
from devices.vitals.ble_burst import BurstResult
from devices.vitals.ble_dispatch import PROFILES
from devices.vitals.base import (
    CAP_LIVE_PROGRESS,
    CAP_STORED_RECORDS,
    OPENING_PROMPTS,
    Deadline,
    MeasurementDisconnected,
    MeasurementTimeout,
    PortUnavailable,
    VitalsDevice,
    check_bp_status,
)
from devices.vitals.readings import (
    BloodPressureReading,
    GlucoseReading,
    Reading,
    SpO2Reading,
)

NO_METER_KEY = N_("vitals.ble.no_meter_found")
NO_RECORDS_KEY = N_("vitals.ble.no_records")
NO_VALID_RECORD_KEY = N_("vitals.measurement_failed")

_OPTIONS = (
    OptionSpec("address", str, "", "Bluetooth address of the meter; empty = scan for one."),
    OptionSpec("first_wait_s", float, 120.0, "Wait this long for the first result after connecting."),
    OptionSpec("silence_s", float, 3.0, "Quiet time after a record that ends the meter's burst."),
    OptionSpec("max_duration_s", float, 300.0, "Longest session with the meter."),
    OptionSpec("reconnects", int, 2, "Reconnections when the meter drops before a result."),
    OptionSpec("connect_attempts", int, 3, "Connection tries per session (with backoff)."),
    OptionSpec("backoff_base_s", float, 1.0, "First pause between connection tries."),
    OptionSpec("backoff_max_s", float, 8.0, "Longest pause between connection tries."),
    OptionSpec("pair", bool, False, "Pair (bond) before reading; some meters require it."),
    OptionSpec("scan_timeout_s", float, 8.0, "Length of one scan when no address is set."),
)


class _DeadlineToken(CancelToken):
    """Cancelled when the caller cancels or the measurement's deadline passes, so the
    transport's own (longer) time-outs never outlive the caller's."""

    def __init__(self, outer: CancelToken, deadline: Deadline) -> None:
        super().__init__()
        self.outer = outer
        self.deadline = deadline

    @property
    def cancelled(self) -> bool:
        return self.outer.cancelled or self.deadline.expired or super().cancelled

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled("operation cancelled")

    def wait(self, timeout_s: float) -> bool:
        return self.outer.wait(min(timeout_s, self.deadline.remaining_s())) or self.cancelled


class BleVitalsDevice(VitalsDevice):
    """A standard GATT health meter: connect when measuring, collect one burst, keep the latest.

    The transport (and its BLE loop thread) is created in ``open`` and stopped in ``close``.
    ``client_factory`` and ``discover`` default to bleak; tests pass scripted stand-ins.
    """

    driver_id = "ble"
    profile: ClassVar[str] = ""
    capabilities = frozenset({CAP_STORED_RECORDS})
    options = _OPTIONS

    def __init__(self, address: str = "", *, first_wait_s: float = 120.0, silence_s: float = 3.0,
                 max_duration_s: float = 300.0, reconnects: int = 2, connect_attempts: int = 3,
                 backoff_base_s: float = 1.0, backoff_max_s: float = 8.0, pair: bool = False,
                 scan_timeout_s: float = 8.0, client_factory: ClientFactory | None = None,
                 discover: Discover | None = None) -> None:
        super().__init__()
        if first_wait_s <= 0 or silence_s <= 0 or max_duration_s <= 0 or scan_timeout_s <= 0:
            raise ValueError("first_wait_s, silence_s, max_duration_s, scan_timeout_s: must be > 0")
        if connect_attempts < 1 or reconnects < 0:
            raise ValueError("connect_attempts must be >= 1 and reconnects >= 0")
        self.address = address.strip()
        self.first_wait_s = float(first_wait_s)
        self.silence_s = float(silence_s)
        self.max_duration_s = float(max_duration_s)
        self.reconnects = int(reconnects)
        self.scan_timeout_s = float(scan_timeout_s)
        self._transport_options: dict[str, Any] = dict(
            client_factory=client_factory, discover=discover, connect_attempts=connect_attempts,
            backoff_base_s=backoff_base_s, backoff_max_s=backoff_max_s, pair=pair)
        self._transport: BleHealthTransport | None = None

    # -- VitalsDevice contract ---------------------------------------------------------------
    def _connect(self) -> None:
        """Start the transport's loop; the meter itself is connected only while measuring
        (meters advertise and accept a link only after the person pressed start)."""
        if self._transport is None:
            self._transport = BleHealthTransport(device_id=f"{self.role}.ble",
                                                 **self._transport_options)

    def _disconnect(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()

    def opening_prompts(self) -> tuple[str, ...]:
        return OPENING_PROMPTS[self.role]

    def _measure(self, handler: PromptHandler, cancel: CancelToken, deadline: Deadline) -> Reading:
        if self._transport is None:
            self._connect()
        transport = self._transport
        assert transport is not None
        for key in self.opening_prompts():
            handler.prompt(key)
        token = _DeadlineToken(cancel, deadline)
        try:
            address = self.address or self._find_meter(transport, token, deadline)
            result = transport.measure(
                address, self.profile, first_wait_s=min(self.first_wait_s, deadline.remaining_s()),
                silence_s=self.silence_s,
                max_duration_s=min(self.max_duration_s, deadline.remaining_s()),
                reconnects=self.reconnects, cancel=token, on_progress=self._progress(handler))
        except Cancelled:
            if cancel.cancelled:
                raise
            raise MeasurementTimeout(f"no result within {deadline.timeout_s:g} s") from None
        except DeviceError as exc:
            raise _as_vitals_error(exc) from exc
        return self._pick(result)

    # -- helpers -----------------------------------------------------------------------------
    def _progress(self, handler: PromptHandler) -> Any:
        return None

    def _find_meter(self, transport: BleHealthTransport, token: _DeadlineToken,
                    deadline: Deadline) -> str:
        """Scan in rounds until a meter offering this profile advertises; when the deadline
        passes first, DeviceUnavailable with key ``vitals.ble.no_meter_found``."""
        while not token.cancelled:
            try:
                found = transport.scan(min(self.scan_timeout_s, deadline.remaining_s()),
                                       cancel=token)
            except Cancelled:
                break
            for meter in found:
                if self.profile in meter.profiles:
                    self.wire.note(f"found meter {meter.address}")
                    return meter.address
        token.outer.raise_if_cancelled()
        raise DeviceUnavailable("no meter advertising this profile", key=NO_METER_KEY)

    def _valid(self, reading: Any) -> bool:
        """Whether a decoded record carries a usable value (subclasses add their checks)."""
        return True

    def _latest(self, valid: list[Any]) -> Any:
        return valid[-1]  # meters send stored records oldest first

    def _pick(self, result: BurstResult) -> Reading:
        """The latest valid record of the burst; an error saying why when there is none.

        Only the latest record counts: older ones may be a previous person's.
        """
        valid = [r for r in result.readings if self._valid(r)]
        if valid:
            return self._check(self._latest(valid))
        if result.failures:
            raise _as_vitals_error(result.failures[-1])
        if result.readings:
            raise InvalidMeasurement("no record in the burst carried a valid value",
                                     key=NO_VALID_RECORD_KEY)
        if result.ended_by == "disconnected":
            raise MeasurementDisconnected("the meter left before sending a result")
        if result.ended_by == "records_done":
            raise InvalidMeasurement("the meter has no stored records", key=NO_RECORDS_KEY)
        raise MeasurementTimeout(f"no result from the meter ({result.ended_by})")

    def _check(self, reading: Any) -> Reading:
        return reading


def _as_vitals_error(exc: DeviceError) -> DeviceError:
    """Transport errors as the VitalsDevice classes (which decide ERROR vs READY): time-outs
    and lost links take the vitals keys every driver shares; unavailability keeps the BLE
    key, whose advice (switch the meter on, bring it closer) is specific."""
    if isinstance(exc, (MeasurementTimeout, MeasurementDisconnected, PortUnavailable)):
        return exc
    if isinstance(exc, DeviceTimeout):
        return MeasurementTimeout(str(exc))
    if isinstance(exc, DeviceDisconnected):
        return MeasurementDisconnected(str(exc))
    if isinstance(exc, DeviceUnavailable):
        return PortUnavailable(str(exc), key=exc.key, **exc.params)
    return exc


class BleBloodPressure(BleVitalsDevice):
    """Upper-arm monitor (0x1810): live cuff pressure (0x2A36), result (0x2A35) with status."""

    role = "bp"
    profile = "bp"
    capabilities = frozenset({CAP_STORED_RECORDS, CAP_LIVE_PROGRESS})

    def _progress(self, handler: PromptHandler) -> Any:
        return cuff_progress(handler)

    def _check(self, reading: Any) -> Reading:
        assert isinstance(reading, BloodPressureReading)
        check_bp_status(reading.status)
        return reading


class BleOximeter(BleVitalsDevice):
    """Fingertip oximeter (0x1822, spot check 0x2A5E); records it flags untrustworthy are
    skipped."""

    role = "spo2"
    profile = "spo2"

    def _valid(self, reading: Any) -> bool:
        status = reading.measurement_status if isinstance(reading, SpO2Reading) else None
        return status is None or status.trustworthy


class BleThermometer(BleVitalsDevice):
    """Health thermometer (0x1809, 0x2A1C); ``site`` chooses the prompt (forehead/armpit)."""

    role = "thermometer"
    profile = "temperature"
    SITES = ("forehead", "armpit")
    options = _OPTIONS + (
        OptionSpec("site", str, "forehead", "forehead or armpit: what the person is asked to do."),
    )

    def __init__(self, address: str = "", *, site: str = "forehead", **kwargs: Any) -> None:
        super().__init__(address, **kwargs)
        if site not in self.SITES:
            raise ValueError(f"site: choose from {', '.join(self.SITES)}")
        self.site = site

    def opening_prompts(self) -> tuple[str, ...]:
        return OPENING_PROMPTS[f"thermometer.{self.site}"]


class BleScale(BleVitalsDevice):
    """Weight scale (0x181D, 0x2A9D; BMI and height when the scale sends them)."""

    role = "scale"
    profile = "weight"


class BleGlucoseMeter(BleVitalsDevice):
    """Glucose meter (0x1808): all stored records via RACP; the newest blood sample wins."""

    role = "glucose"
    profile = "glucose"

    def _valid(self, reading: Any) -> bool:
        # A control-solution test checks the meter, not a person.
        return (isinstance(reading, GlucoseReading) and reading.glucose_mmol_l is not None
                and reading.sample_type != "control_solution"
                and reading.sample_location != "control_solution")

    def _latest(self, valid: list[Any]) -> Any:
        return max(valid, key=lambda r: r.sequence)


BLE_DRIVER_CLASSES: dict[str, type[BleVitalsDevice]] = {
    cls.role: cls for cls in (BleBloodPressure, BleOximeter, BleThermometer, BleScale,
                              BleGlucoseMeter)
}
assert all(cls.profile in PROFILES for cls in BLE_DRIVER_CLASSES.values())

__all__ = [
    "BLE_DRIVER_CLASSES", "BleBloodPressure", "BleGlucoseMeter", "BleOximeter", "BleScale",
    "BleThermometer", "BleVitalsDevice",
]
