"""Technician device commands without Qt: list configured devices, test one, demo devices."""

from __future__ import annotations

import copy
import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from devices import registry
from devices.base import CancelToken, PromptHandler
from devices.errors import Cancelled, DeviceError
from devices.speech.base import REASON_DISABLED
from devices.state import DeviceState
from devices.vitals.base import VITALS_ROLES
from kiosk.config import DeviceRole, KioskConfig
from kiosk.device_format import format_outcome, format_probe, format_reading, format_rows
from kiosk.device_probe import ProbeReport, probe
from kiosk.i18n import N_, current_language, tr

log = logging.getLogger(__name__)

KEY_UNKNOWN_ROLE = N_("device_admin.unknown_role")
KEY_UNKNOWN_DRIVER = N_("device_admin.unknown_driver")
KEY_NOT_CONFIGURED = N_("device_admin.role_not_configured")
KEY_UNUSABLE = N_("device_admin.driver_unusable")
KEY_BAD_OPTIONS = N_("device_admin.bad_options")
KEY_FAILED = N_("device_admin.failed")
KEY_OPEN_TIMED_OUT = N_("device_admin.open_timed_out")
KEY_NOTHING_SCANNED = N_("device_admin.scanner_nothing_read")
KEY_SPEECH_SILENT = N_("device_admin.speech_not_finished")
SPEECH_TEST_SENTENCE = N_("device_admin.speech_test_sentence")


@dataclass(frozen=True)
class DeviceRow:
    """One configured role. ``usable`` False with ``problem_key`` (translatable) and ``detail``
    (the registry's English reason) when the driver is unknown or cannot run here. ``state``
    is the DeviceState value after a quick open/close (None when not attempted)."""

    role: str
    driver_id: str
    known: bool
    simulated: bool
    usable: bool
    problem_key: str = ""
    problem_params: dict[str, object] = field(default_factory=dict)
    detail: str = ""
    state: str | None = None
    state_key: str = ""
    state_params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class TestOutcome:
    """What a device test gave: a reading, a print result, scanned payloads or a spoken line,
    or ``error_key``/``error_params`` (the DeviceError's key) with a technician ``detail``."""

    __test__ = False  # not a pytest class despite its name

    role: str
    driver_id: str
    ok: bool
    reading: Any = None
    print_result: Any = None
    scans: tuple[str, ...] = ()
    spoken: str = ""
    warnings: tuple[str, ...] = ()  # message keys, e.g. printer.paper_near_end
    error_key: str = ""
    error_params: dict[str, object] = field(default_factory=dict)
    detail: str = ""


# -- which driver a role uses ---------------------------------------------------------------------
def role_setting(config: KioskConfig, role: str) -> DeviceRole | None:
    """The role's DeviceRole; speech falls back to the [voice] section when not under devices."""
    if role in config.devices:
        return config.devices[role]
    if role == "speech":
        voice = config.voice
        if not voice.enabled or voice.backend == "null":
            return DeviceRole(driver="null", reason_key=REASON_DISABLED)
        backend = voice.backend
        voices = {lang: vid for lang, vid in (("zh_CN", voice.voice_zh_CN), ("en", voice.voice_en))
                  if vid}
        return DeviceRole(driver=backend, rate_wpm=voice.rate_wpm, volume=voice.volume,
                          player=voice.player, voices=voices)
    return None


def _roles(config: KioskConfig) -> list[str]:
    roles = [r for r in registry.ROLES if r in config.devices]
    roles += sorted(r for r in config.devices if r not in registry.ROLES)
    if "speech" not in roles:
        roles.append("speech")
    return roles


# -- list ------------------------------------------------------------------------------------------
def list_devices(config: KioskConfig, *, connect: bool = False,
                 connect_timeout_s: float = 5.0) -> list[DeviceRow]:
    """A row per configured role (speech from [voice] unless configured under devices).

    With ``connect`` each usable driver is opened and closed once (BLOCKING, at most about
    ``connect_timeout_s`` per device) and the state it reached is reported.
    """
    rows = []
    for role in _roles(config):
        setting = role_setting(config, role)
        assert setting is not None
        rows.append(_row(role, setting, connect, connect_timeout_s))
    return rows


def _row(role: str, setting: DeviceRole, connect: bool, timeout_s: float) -> DeviceRow:
    driver = setting.driver
    if role not in registry.ROLES:
        return DeviceRow(role, driver, False, False, False, KEY_UNKNOWN_ROLE,
                         {"role": role, "roles": ", ".join(registry.ROLES)})
    try:
        info = registry.get(role, driver)
    except KeyError:
        known = ", ".join(d.driver_id for d in registry.drivers(role))
        return DeviceRow(role, driver, False, False, False, KEY_UNKNOWN_DRIVER,
                         {"driver": driver, "role": role, "known": known})
    usable, why = info.usable()
    if not usable:
        return DeviceRow(role, driver, True, info.simulated, False, KEY_UNUSABLE,
                         {"driver": driver}, why)
    row = DeviceRow(role, driver, True, info.simulated, True)
    if not connect:
        return row
    state, key, params, detail = _open_close(role, driver, setting.options, timeout_s)
    return dataclasses.replace(row, state=state, state_key=key, state_params=params,
                               detail=detail)


def _open_close(role: str, driver: str, options: dict[str, Any],
                timeout_s: float) -> tuple[str, str, dict[str, object], str]:
    """Open, let the state settle, close; on a helper thread so a stuck driver cannot hang
    the technician's command (it is abandoned after ``timeout_s``)."""
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        dev = None
        try:
            dev = registry.create(role, driver, **options)
            dev.open()
            _settle(dev, timeout_s)
            if role == "printer" and "status" in dev.capabilities:
                dev.status()  # the state then carries paper out, cover open...
            report = dev.state.report
            outcome["state"] = (report.state.value, report.reason_key, dict(report.params), "")
        except DeviceError as exc:
            outcome["state"] = (DeviceState.ERROR.value, exc.key, dict(exc.params), str(exc))
        except (TypeError, ValueError) as exc:
            outcome["state"] = (DeviceState.ERROR.value, KEY_BAD_OPTIONS, {}, str(exc))
        except Exception as exc:  # a driver bug must come back as a row, not a traceback
            outcome["state"] = (DeviceState.ERROR.value, KEY_FAILED, {},
                                f"{type(exc).__name__}: {exc}")
        finally:
            if dev is not None:
                _close_quietly(dev)

    thread = threading.Thread(target=attempt, name=f"device-admin-{role}", daemon=True)
    thread.start()
    thread.join(timeout_s + 5.0)
    if "state" not in outcome:
        return (DeviceState.ERROR.value, KEY_OPEN_TIMED_OUT, {"seconds": round(timeout_s)}, "")
    return outcome["state"]


def _settle(dev: Any, timeout_s: float) -> None:
    """Drivers that start a worker (scanner, speech) report CONNECTING first: wait it out."""
    wait_ready = getattr(dev, "wait_ready", None)
    if callable(wait_ready):
        wait_ready(timeout_s)
    end_s = time.monotonic() + timeout_s
    while dev.state.state is DeviceState.CONNECTING and time.monotonic() < end_s:
        time.sleep(0.02)


def _close_quietly(dev: Any) -> None:
    try:
        dev.close()
    except Exception as exc:  # closing is best effort; the row already says what happened
        log.warning("closing %s failed: %s: %s", type(dev).__name__, type(exc).__name__, exc)


# -- test one role -----------------------------------------------------------------------------------
def test_device(config: KioskConfig, role: str, *, handler: PromptHandler, seconds: float = 10,
                cancel: CancelToken | None = None) -> TestOutcome:
    """Exercise ``role``'s configured driver once (BLOCKING; call from a worker or the CLI).

    Vitals: one reading (prompts and progress go to ``handler``). Printer: the test page.
    Scanner: reads for up to ``seconds`` and returns at the first code. Speech: says a test
    sentence in the current language. Errors come back as keys, never as exceptions.
    """
    cancel = cancel or CancelToken()
    setting = role_setting(config, role)
    if role not in registry.ROLES:
        return _error(role, "", KEY_UNKNOWN_ROLE, role=role, roles=", ".join(registry.ROLES))
    if setting is None:
        return _error(role, "", KEY_NOT_CONFIGURED, role=role)
    driver = setting.driver
    try:
        info = registry.get(role, driver)
    except KeyError:
        known = ", ".join(d.driver_id for d in registry.drivers(role))
        return _error(role, driver, KEY_UNKNOWN_DRIVER, driver=driver, role=role, known=known)
    usable, why = info.usable()
    if not usable:
        return _error(role, driver, KEY_UNUSABLE, why, driver=driver)
    dev = None
    try:
        dev = registry.create(role, driver, **setting.options)
        if role in VITALS_ROLES:
            return TestOutcome(role, driver, True, reading=dev.measure(handler, cancel))
        if role == "printer":
            return _test_printer(dev, setting, cancel)
        if role == "scanner":
            return _test_scanner(dev, driver, seconds, cancel)
        return _test_speech(dev, driver, seconds, cancel)
    except DeviceError as exc:
        return _error(role, driver, exc.key, str(exc), **exc.params)
    except (TypeError, ValueError) as exc:  # options the driver does not take
        return _error(role, driver, KEY_BAD_OPTIONS, str(exc))
    except Exception as exc:  # a driver bug must come back as an outcome, not a traceback
        log.warning("device test %s/%s failed: %s: %s", role, driver, type(exc).__name__, exc)
        return _error(role, driver, KEY_FAILED, f"{type(exc).__name__}: {exc}")
    finally:
        if dev is not None:
            _close_quietly(dev)


test_device.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name


def _error(role: str, driver: str, key: str, detail: str = "", /, **params: object) -> TestOutcome:
    return TestOutcome(role, driver, False, error_key=key, error_params=params, detail=detail)


def _test_printer(dev: Any, setting: DeviceRole, cancel: CancelToken) -> TestOutcome:
    from devices.printer.test_page import test_page

    paper_mm = int(setting.options.get("paper_mm", 58))
    result = dev.print(test_page(paper_mm), cancel)
    return TestOutcome("printer", setting.driver, True, print_result=result,
                       warnings=tuple(result.warnings))


def _test_scanner(dev: Any, driver: str, seconds: float, cancel: CancelToken) -> TestOutcome:
    read: list[str] = []
    got = threading.Event()

    def on_scan(result: Any) -> None:
        read.append(result.payload)
        got.set()

    dev.subscribe(on_scan)
    dev.open()
    end_s = time.monotonic() + seconds
    while not got.is_set() and not cancel.cancelled and time.monotonic() < end_s:
        got.wait(0.05)
    report = dev.state.report
    dev.close()
    if read:
        return TestOutcome("scanner", driver, True, scans=tuple(read))
    if cancel.cancelled:
        return _error("scanner", driver, Cancelled.key)
    if report.state is DeviceState.ERROR:
        return _error("scanner", driver, report.reason_key, **report.params)
    return _error("scanner", driver, KEY_NOTHING_SCANNED, seconds=round(seconds))


def _test_speech(dev: Any, driver: str, seconds: float, cancel: CancelToken) -> TestOutcome:
    dev.open()
    _settle(dev, seconds)
    report = dev.state.report
    if report.state is not DeviceState.READY:  # the null driver is DISCONNECTED: it says nothing
        return _error("speech", driver, report.reason_key, str(report.params.get("detail", "")))
    sentence = tr(SPEECH_TEST_SENTENCE)
    dev.say(sentence, current_language())
    end_s = time.monotonic() + seconds
    while dev.speaking and not cancel.cancelled and time.monotonic() < end_s:
        time.sleep(0.05)
    report = dev.state.report
    if report.state is DeviceState.ERROR:
        return _error("speech", driver, report.reason_key, str(report.params.get("detail", "")))
    if dev.speaking and not cancel.cancelled:
        dev.stop()
        return TestOutcome("speech", driver, False, spoken=sentence, error_key=KEY_SPEECH_SILENT,
                           error_params={"seconds": round(seconds)})
    return TestOutcome("speech", driver, True, spoken=sentence)


# -- demo devices --------------------------------------------------------------------------------------
DEMO_SCAN_PAYLOADS = ("KIOSK-DEMO-MEAL-TICKET-0001", "KIOSK-DEMO-SERVICE-CARD-0002")

_DEMO_DEVICES: dict[str, dict[str, Any]] = {
    "bp": {"driver": "sim", "scenario": ["normal", "high", "normal"], "time_scale": 1.0},
    "spo2": {"driver": "sim", "scenario": "normal", "time_scale": 1.0},
    "thermometer": {"driver": "sim", "scenario": "normal", "time_scale": 1.0, "site": "forehead"},
    "scale": {"driver": "sim", "scenario": "normal", "time_scale": 1.0, "height_m": 1.62},
    "glucose": {"driver": "sim", "scenario": ["normal", "high"], "time_scale": 1.0},
    "scanner": {"driver": "sim", "payloads": list(DEMO_SCAN_PAYLOADS), "start_delay_s": 5.0,
                "interval_s": 10.0, "loop": False},
    "printer": {"driver": "sim", "paper_mm": 58, "fault": "ok"},
    "camera": {"driver": "sim", "fault": "ok"},
    "microphone": {"driver": "sim", "time_scale": 1.0},
}


def demo_devices() -> dict[str, dict[str, Any]]:
    """Every device role on its simulated twin with real-time demo options (a fresh copy)."""
    return copy.deepcopy(_DEMO_DEVICES)


DEMO_TECHNICIAN_PIN = "246810"  # demo only, like the demo server's staff PINs (README: make demo)


def with_demo_technician_pin(config: KioskConfig) -> KioskConfig:
    """Demo only: a known technician PIN when the configuration sets none, so a demo can be left."""
    if config.technician.pin_hash:
        return config
    from kiosk.staff.pins import hash_pin

    copy = config.model_copy(deep=True)
    copy.technician.pin_hash = hash_pin(DEMO_TECHNICIAN_PIN)
    return copy


def with_demo_devices(config: KioskConfig) -> KioskConfig:
    """A copy of ``config`` whose devices are the demo twins (other settings unchanged)."""
    devices = {role: DeviceRole.model_validate(raw) for role, raw in demo_devices().items()}
    return config.model_copy(update={"devices": devices})


__all__ = [
    "DeviceRow", "ProbeReport", "TestOutcome", "demo_devices", "format_outcome", "format_probe",
    "format_reading", "format_rows", "list_devices", "probe", "role_setting", "test_device",
    "with_demo_devices",
]
