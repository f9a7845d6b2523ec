"""Drivers registered by role and string id; fakes are chosen exactly like real drivers."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from devices.messages import N_

ROLES = ("bp", "spo2", "thermometer", "scale", "glucose", "scanner", "printer", "speech", "camera", "microphone")


@dataclass(frozen=True)
class OptionSpec:
    """One connection option a driver takes (port, baud, address...), for config and technicians."""

    name: str
    kind: type
    default: Any = None
    doc: str = ""


@dataclass(frozen=True)
class DriverInfo:
    role: str
    driver_id: str
    factory_path: str  # "module:attribute", imported lazily so optional deps stay optional
    capabilities: frozenset[str] = frozenset()
    options: tuple[OptionSpec, ...] = ()
    simulated: bool = False
    doc: str = ""
    availability: Callable[[], tuple[bool, str]] = field(default=lambda: (True, ""))

    def usable(self) -> tuple[bool, str]:
        """Whether the driver can run here, and if not a readable English reason."""
        return self.availability()

    def load(self) -> Callable[..., Any]:
        module_name, _, attr = self.factory_path.partition(":")
        return getattr(importlib.import_module(module_name), attr)


_DRIVERS: dict[tuple[str, str], DriverInfo] = {}


def register(info: DriverInfo) -> DriverInfo:
    if info.role not in ROLES:
        raise ValueError(f"unknown device role {info.role!r}")
    _DRIVERS[(info.role, info.driver_id)] = info
    return info


def drivers(role: str | None = None) -> list[DriverInfo]:
    _load_builtin()
    return [d for (r, _), d in sorted(_DRIVERS.items()) if role is None or r == role]


def get(role: str, driver_id: str) -> DriverInfo:
    if (role, driver_id) not in _DRIVERS:
        _load_role(role)  # only the package of this role: the speech driver need not import NumPy
    if (role, driver_id) not in _DRIVERS:
        _load_builtin()
    try:
        return _DRIVERS[(role, driver_id)]
    except KeyError:
        known = ", ".join(d.driver_id for d in drivers(role)) or "none"
        raise KeyError(f"no {role!r} driver {driver_id!r} (known: {known})") from None


def create(role: str, driver_id: str, **options: Any) -> Any:
    """Instantiate the driver registered for role/id with its options."""
    info = get(role, driver_id)
    ok, why = info.usable()
    if not ok:
        from devices.errors import DeviceUnavailable

        raise DeviceUnavailable(why, key=N_("device.unavailable_reason"), reason=why)
    return info.load()(**options)


def module_available(name: str) -> Callable[[], tuple[bool, str]]:
    """Availability check: the optional Python module ``name`` can be imported."""

    def check() -> tuple[bool, str]:
        try:
            importlib.import_module(name)
        except Exception as exc:  # an optional dependency may fail with more than ImportError
            return False, f"Python module {name!r} is not usable: {exc}"
        return True, ""

    return check


# The package that registers each role's drivers; the vitals package registers all five vitals.
_ROLE_PACKAGES = {role: "devices.vitals" for role in ("bp", "spo2", "thermometer", "scale", "glucose")} | {
    "speech": "devices.speech", "scanner": "devices.scanner", "printer": "devices.printer",
    "camera": "devices.camera", "microphone": "devices.microphone"}
_BUILTIN_MODULES = tuple(dict.fromkeys(_ROLE_PACKAGES.values()))
_loaded = False


def _load_role(role: str) -> None:
    """Import the driver package that registers ``role``'s drivers (unknown roles: none)."""
    if role in _ROLE_PACKAGES:
        importlib.import_module(_ROLE_PACKAGES[role])


def _load_builtin() -> None:
    """Import the driver packages; each registers its drivers at import time."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in _BUILTIN_MODULES:
        importlib.import_module(name)
