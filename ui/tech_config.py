"""What the technician may change per device role, and saving it (BLOCKING helpers, no Qt)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from devices import registry
from devices.registry import OptionSpec
from kiosk.config import KioskConfig, load

log = logging.getLogger(__name__)

DEVICE_ROLES = tuple(role for role in registry.ROLES if role != "speech")  # speech: [voice] and tech_test
# Connection options a technician sets on site, in the order shown; the rest keep their values.
SHOWN_OPTIONS = ("path", "host", "port", "baudrate", "address", "vendor_id", "product_id", "device",
                 "paper_mm", "profile")
CHOICES: dict[str, tuple[int, ...]] = {"paper_mm": (58, 80)}
FINDERS = {"address": "ble", "port": "serial", "device": "cameras"}  # kiosk.device_probe sections
HEX_OPTIONS = ("vendor_id", "product_id")


class OptionProblem(ValueError):
    """A value the technician typed that the option cannot take; ``option`` names it."""

    def __init__(self, option: str, text: str) -> None:
        super().__init__(f"{option}: {text!r}")
        self.option = option
        self.text = text


def drivers_for(role: str) -> list[str]:
    return [info.driver_id for info in registry.drivers(role)]


def editable_options(role: str, driver: str) -> list[OptionSpec]:
    info = registry.get(role, driver)
    shown = [spec for spec in info.options if spec.name in SHOWN_OPTIONS]
    return sorted(shown, key=lambda spec: SHOWN_OPTIONS.index(spec.name))


def configured(config: KioskConfig, role: str) -> tuple[str, dict[str, Any]]:
    """The role's driver id and options ("" and {} when the role is not configured)."""
    setting = config.devices.get(role)
    if setting is None:
        return "", {}
    return setting.driver, dict(setting.options)


def show_value(spec: OptionSpec, value: Any) -> str:
    if value is None:
        return ""
    if spec.name in HEX_OPTIONS and isinstance(value, int):
        return f"0x{value:04x}"
    return str(value)


def initial_texts(config: KioskConfig, role: str, driver: str) -> dict[str, str]:
    """The shown options as text: the configured values for the configured driver, else defaults."""
    current_driver, options = configured(config, role)
    texts = {}
    for spec in editable_options(role, driver):
        value = options.get(spec.name, spec.default) if current_driver == driver else spec.default
        texts[spec.name] = show_value(spec, value)
    return texts


def parse_value(spec: OptionSpec, text: str) -> Any:
    """The option's value from the technician's text; None when left empty; OptionProblem when wrong."""
    text = text.strip()
    if not text:
        return None
    try:
        if spec.name == "device" and not text.isdigit():
            return text  # a camera may be named by its path, /dev/video0
        if spec.kind is int:
            if text.lower().startswith("0x") or spec.name in HEX_OPTIONS:  # USB ids are hexadecimal
                return int(text, 16)
            return int(text)
        if spec.kind is float:
            return float(text)
        if spec.kind is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
    except ValueError:
        raise OptionProblem(spec.name, text) from None
    return text


def new_options(config: KioskConfig, role: str, driver: str, texts: dict[str, str]) -> dict[str, Any]:
    """Options to save: the shown ones parsed, the others kept when the driver stays the same."""
    current_driver, options = configured(config, role)
    kept = {k: v for k, v in options.items() if k not in SHOWN_OPTIONS} if current_driver == driver else {}
    for spec in editable_options(role, driver):
        value = parse_value(spec, texts.get(spec.name, ""))
        if value is not None:
            kept[spec.name] = value
    return kept


def file_config(runtime: Any, path: Path) -> KioskConfig:
    """What the config file says now (not the running copy, which demo mode changes in memory)."""
    if path.exists():
        return load(path)
    base = runtime.config.model_copy(deep=True)
    if getattr(runtime, "demo_server", None) is not None:
        base.server.url = ""  # the demo server's address is chosen afresh at each start
    return base


def save_device(runtime: Any, role: str, driver: str, options: dict[str, Any]) -> tuple[KioskConfig, Path]:
    """Write the role's driver and options to the config file atomically, then make it live:
    the running kiosk's DeviceHub switches to the new configuration (its subscribers stay).
    BLOCKING: call on a worker. Raises ConfigError (the key at fault) and leaves everything as it was."""
    from kiosk import config_writer

    path = Path(config_writer.config_path())
    written = config_writer.set_device(file_config(runtime, path), role, driver, options)
    live = config_writer.set_device(runtime.config, role, driver, options)
    config_writer.validate_and_write(path, written)
    log.info("technician set %s to driver %s", role, driver)
    runtime.config.devices = live.devices  # the same config object the screens hold
    if runtime.devices is not None:
        runtime.devices.reconfigure(runtime.config)
    return live, path


def save_server(runtime: Any, url: str, enrollment_code: str) -> tuple[KioskConfig, Path]:
    """Write the server address and enrollment code (atomically); they apply at the next start."""
    from kiosk import config_writer

    path = Path(config_writer.config_path())
    written = file_config(runtime, path).model_copy(deep=True)
    written.server.url = url.strip()
    written.server.enrollment_code = enrollment_code.strip()
    config_writer.validate_and_write(path, written)
    log.info("technician changed the server settings")
    return written, path
