"""BLE transport for standard health-profile meters on bleak (optional extra ``ble``).

bleak is imported lazily: this module imports without it and ``ble_available()`` says why it
cannot run. Every bleak call happens on one asyncio loop owned by a dedicated thread
(``BleLoop``); the public methods block the calling worker with a time-out and a CancelToken.
Parsing and burst logic are pure (``gatt``, ``ble_dispatch``, ``ble_burst``); this module only
scans, connects (with jittered exponential backoff), and hands a connected client over.
Not tested against a radio here: tests drive it with a scripted stand-in for BleakClient.
"""

from __future__ import annotations

import asyncio
import importlib
import random
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from devices.base import CancelToken, PromptHandler, WireLog
from devices.errors import DeviceDisconnected, DeviceError, DeviceUnavailable
from devices.messages import N_
from devices.vitals.base import PROGRESS_CUFF_PRESSURE
from devices.vitals.ble_burst import BurstResult, collect_burst
from devices.vitals.ble_dispatch import HEALTH_SERVICE_UUIDS, PROFILES, profiles_for_services
from devices.vitals.ble_loop import BleLoop
from devices.vitals.readings import CuffPressure

UNAVAILABLE_KEY = N_("vitals.ble.unavailable")
CONNECT_FAILED_KEY = N_("vitals.ble.connect_failed")
LINK_LOST_KEY = N_("vitals.ble.link_lost")
SCAN_FAILED_KEY = N_("vitals.ble.scan_failed")
UNKNOWN_PROFILE_KEY = N_("vitals.ble.unknown_profile")
CUFF_PROGRESS_KEY = PROGRESS_CUFF_PRESSURE  # the same progress key as every bp driver

ClientFactory = Callable[[str], Any]
Discover = Callable[[float, list[str]], Awaitable[dict[str, tuple[Any, Any]]]]


def ble_available() -> tuple[bool, str]:
    """(True, "") when bleak imports, else (False, a readable English reason)."""
    try:
        importlib.import_module("bleak")
    except Exception as exc:  # a broken backend (e.g. no D-Bus binding) fails beyond ImportError
        return False, (
            f"Bluetooth LE needs the Python package 'bleak' (install the 'ble' extra): "
            f"{type(exc).__name__}: {exc}"
        )
    return True, ""


@dataclass(frozen=True)
class FoundDevice:
    """A health meter seen while scanning; ``profiles`` are keys of ble_dispatch.PROFILES."""

    address: str
    name: str | None
    rssi: int | None
    profiles: tuple[str, ...]


# 0x2A36 carries no total: progress is estimated from the pressure curve. Inflating up to the
# usual ~180 mmHg peak counts for the first 30 %, deflating from the peak to ~40 mmHg for the rest.
_INFLATE_SHARE = 0.3
_USUAL_PEAK_MMHG = 180.0
_DEFLATE_END_MMHG = 40.0
_DEFLATING_BELOW_PEAK_MMHG = 5.0  # a drop this far below the peak means the valve is open


def cuff_progress(prompts: PromptHandler) -> Callable[[CuffPressure], None]:
    """An ``on_progress`` callback that shows live cuff pressure (whole mmHg) and an estimated,
    never decreasing fraction through the prompt handler (key ``vitals.progress.cuff_pressure``)."""
    peak_mmhg = 0.0
    shown = 0.0

    def show(cuff: CuffPressure) -> None:
        nonlocal peak_mmhg, shown
        pressure = cuff.cuff_mmhg
        peak_mmhg = max(peak_mmhg, pressure)
        if peak_mmhg - pressure >= _DEFLATING_BELOW_PEAK_MMHG:
            span = max(1.0, peak_mmhg - _DEFLATE_END_MMHG)
            fraction = _INFLATE_SHARE + (1 - _INFLATE_SHARE) * (peak_mmhg - pressure) / span
        else:
            fraction = _INFLATE_SHARE * pressure / max(_USUAL_PEAK_MMHG, peak_mmhg)
        shown = max(shown, min(1.0, fraction))
        prompts.progress(CUFF_PROGRESS_KEY, round(shown, 3), cuff_mmhg=round(pressure))

    return show


def found_devices(discovered: dict[str, tuple[Any, Any]]) -> list[FoundDevice]:
    """bleak's ``discover(return_adv=True)`` result -> health meters, strongest signal first.

    Filters again on the advertised service UUIDs because some backends ignore the scanner's
    service filter.
    """
    found = []
    for address, (device, adv) in discovered.items():
        profiles = profiles_for_services(list(getattr(adv, "service_uuids", None) or []))
        if not profiles:
            continue
        name = getattr(adv, "local_name", None) or getattr(device, "name", None)
        found.append(FoundDevice(address, name, getattr(adv, "rssi", None), tuple(profiles)))
    return sorted(found, key=lambda d: -(d.rssi if d.rssi is not None else -999))


def backoff_delays(attempts: int, base_s: float, max_s: float,
                   rand: Callable[[], float] = random.random) -> list[float]:
    """Pauses between ``attempts`` connection tries: doubling from ``base_s``, capped at
    ``max_s``, each scaled by a jitter in [0.5, 1.0) so kiosks do not retry in step."""
    return [min(max_s, base_s * 2**i) * (0.5 + rand() / 2) for i in range(max(0, attempts - 1))]


async def connect_with_backoff(
    make_client: ClientFactory, address: str, *, attempts: int, base_delay_s: float,
    max_delay_s: float, pair: bool = False, cancel: CancelToken | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, wire: WireLog | None = None,
    rand: Callable[[], float] = random.random,
) -> Any:
    """Connect (and optionally pair) a fresh client per try; raises DeviceUnavailable
    (key ``vitals.ble.connect_failed``) after ``attempts`` failures, Cancelled when cancelled."""
    delays = backoff_delays(attempts, base_delay_s, max_delay_s, rand)
    last: BaseException | None = None
    for attempt in range(attempts):
        if cancel is not None:
            cancel.raise_if_cancelled()
        client = make_client(address)
        try:
            await client.connect()
            if pair:
                try:
                    await client.pair()
                except NotImplementedError:  # macOS pairs by itself on first encrypted access
                    pass
            return client
        except Exception as exc:  # bleak backends raise BleakError, TimeoutError, OSError...
            last = exc
            if wire:
                wire.note(f"connect attempt {attempt + 1}/{attempts} failed: {type(exc).__name__}")
            await _quiet_disconnect(client)
        if attempt < len(delays):
            await sleep(delays[attempt])
    raise DeviceUnavailable(
        f"could not connect after {attempts} attempts: {type(last).__name__}: {last}",
        key=CONNECT_FAILED_KEY,
    ) from last


async def _quiet_disconnect(client: Any) -> None:
    try:
        await client.disconnect()
    except Exception:  # already gone; nothing left to release
        pass


def _bleak_client(address: str) -> Any:
    from bleak import BleakClient

    return BleakClient(address)


async def _bleak_discover(timeout_s: float, service_uuids: list[str]) -> dict[str, Any]:
    from bleak import BleakScanner

    result: dict[str, Any] = await BleakScanner.discover(
        timeout=timeout_s, return_adv=True, service_uuids=service_uuids
    )
    return result


class BleHealthTransport:
    """Blocking facade for workers: scan, then measure (connect, collect one burst, disconnect).

    ``client_factory`` and ``discover`` default to bleak; tests pass scripted stand-ins.
    Call the blocking methods from a worker thread (never the Qt thread); ``close`` stops the
    loop thread.
    """

    def __init__(self, *, device_id: str = "ble", client_factory: ClientFactory | None = None,
                 discover: Discover | None = None, connect_attempts: int = 3,
                 backoff_base_s: float = 1.0, backoff_max_s: float = 8.0,
                 pair: bool = False) -> None:
        if client_factory is None or discover is None:
            ok, why = ble_available()
            if not ok:
                raise DeviceUnavailable(why, key=UNAVAILABLE_KEY)
        self._make_client = client_factory or _bleak_client
        self._discover = discover or _bleak_discover
        self.connect_attempts = connect_attempts
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.pair = pair
        self.wire = WireLog(f"vitals.{device_id}")
        self._loop = BleLoop(device_id)

    def scan(self, timeout_s: float = 5.0, cancel: CancelToken | None = None) -> list[FoundDevice]:
        """Scan for meters advertising 0x1810/0x1809/0x181D/0x1822/0x1808 (blocking)."""

        async def go() -> list[FoundDevice]:
            try:
                discovered = await self._discover(timeout_s, list(HEALTH_SERVICE_UUIDS))
            except DeviceError:
                raise
            except Exception as exc:  # adapter off, permission denied, backend failure
                raise DeviceUnavailable(f"scan failed: {type(exc).__name__}: {exc}",
                                        key=SCAN_FAILED_KEY) from exc
            return found_devices(discovered)

        return self._loop.run(go(), timeout_s=timeout_s + 10.0, cancel=cancel)

    def measure(self, address: str, profile: str, *, first_wait_s: float = 120.0,
                silence_s: float = 3.0, max_duration_s: float = 300.0, reconnects: int = 2,
                cancel: CancelToken | None = None,
                on_progress: Callable[[CuffPressure], None] | None = None) -> BurstResult:
        """Connect to ``address``, collect the ``profile``'s records until ``silence_s`` of
        quiet, then disconnect. When the meter drops the link before sending any result it is
        reconnected (with backoff) up to ``reconnects`` times. ``on_progress`` runs on the BLE
        loop thread. Raises DeviceUnavailable, DeviceDisconnected, DeviceTimeout, Cancelled."""
        spec = PROFILES.get(profile)
        if spec is None:
            raise DeviceUnavailable(f"unknown BLE profile {profile!r}", key=UNKNOWN_PROFILE_KEY)
        connect_budget_s = self.connect_attempts * (30.0 + self.backoff_max_s)

        async def go() -> BurstResult:
            loop = asyncio.get_running_loop()
            end_s = loop.time() + max_duration_s
            total = BurstResult()
            for round_no in range(reconnects + 1):
                client = await connect_with_backoff(
                    self._make_client, address, attempts=self.connect_attempts,
                    base_delay_s=self.backoff_base_s, max_delay_s=self.backoff_max_s,
                    pair=self.pair, cancel=cancel, wire=self.wire)
                try:
                    burst = await collect_burst(
                        client, spec, silence_s=silence_s, first_wait_s=first_wait_s,
                        max_duration_s=max(0.0, end_s - loop.time()), cancel=cancel,
                        on_progress=on_progress, wire=self.wire)
                except (DeviceError, asyncio.CancelledError):
                    raise
                except Exception as exc:  # bleak error mid-session: the link is unusable
                    raise DeviceDisconnected(f"link lost: {type(exc).__name__}: {exc}",
                                             key=LINK_LOST_KEY) from exc
                finally:
                    await _quiet_disconnect(client)
                total.readings += burst.readings
                total.failures += burst.failures
                total.progress_count += burst.progress_count
                total.ended_by = burst.ended_by
                if total.readings or total.failures or burst.ended_by != "disconnected":
                    return total
                if loop.time() >= end_s:
                    break
                self.wire.note(f"link dropped before a result; reconnect {round_no + 1}")
            return total

        return self._loop.run(go(), timeout_s=max_duration_s + connect_budget_s * (reconnects + 1),
                              cancel=cancel)

    def close(self) -> None:
        """Stop the BLE loop thread (pending operations are cancelled); idempotent."""
        self._loop.close()


_DRIVER_CLASSES = ("BleBloodPressure", "BleOximeter", "BleThermometer", "BleScale",
                   "BleGlucoseMeter")


def __getattr__(name: str) -> Any:
    """The registry's factory paths name the drivers here; they live in ble_drivers, which
    imports this module, so they are loaded on first access (bleak still only on use)."""
    if name in _DRIVER_CLASSES:
        from devices.vitals import ble_drivers

        return getattr(ble_drivers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BleHealthTransport", "FoundDevice", "backoff_delays", "ble_available", "connect_with_backoff",
    "cuff_progress", "found_devices", *_DRIVER_CLASSES,
]
