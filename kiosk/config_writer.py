"""Write the kiosk's TOML configuration safely: validated first, then replaced atomically with a .bak."""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, DeviceRole, KioskConfig, parse
from kiosk.config_schema import SchemaError

log = logging.getLogger(__name__)

ENV_CONFIG = "KIOSK_CONFIG"
CONFIG_FILENAME = "kiosk.toml"
APP_NAME = "community-kiosk"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_loaded_from: Path | None = None


def note_loaded(path: str | Path | None) -> None:
    """Remember the file the running kiosk was started with (`kiosk run --config FILE`)."""
    global _loaded_from
    _loaded_from = Path(path).expanduser().resolve() if path else None


def config_path() -> Path:
    """The kiosk's configuration file: ``KIOSK_CONFIG``, else the ``--config`` file it was started
    with, else ``kiosk.toml`` in the platform's user config folder."""
    env = os.environ.get(ENV_CONFIG, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    if _loaded_from is not None:
        return _loaded_from
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILENAME


# --- TOML text ------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are valid TOML basic-string escapes
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_value(v, where)}" for k, v in value.items()) + "}"
    raise ConfigError("<config>", where, f"cannot be written to TOML ({type(value).__name__})")


def _table(lines: list[str], header: str, table: dict[str, Any]) -> None:
    lines.extend(["", f"[{header}]"])
    for name, value in table.items():
        if value is not None:  # TOML has no null: an absent key means the default
            lines.append(f"{_key(name)} = {_value(value, f'{header}.{name}')}")


def to_toml(config: KioskConfig) -> str:
    """The whole configuration as TOML text (every setting written out)."""
    data = config.as_dict()
    devices = data.pop("devices", {})
    lines = ["# Community service kiosk configuration, written by the kiosk (technician mode).",
             "# Every key is documented in kiosk/config.py."]
    sections = {k: v for k, v in data.items() if isinstance(v, dict)}
    for name, value in data.items():
        if name not in sections:
            lines.append(f"{_key(name)} = {_value(value, name)}")
    for name, section in sections.items():
        _table(lines, _key(name), section)
    for role, setting in devices.items():
        _table(lines, f"devices.{_key(role)}", setting)
    return "\n".join(lines) + "\n"


# --- validation and writing -----------------------------------------------------------------------


def validate(path: str | Path, config: KioskConfig) -> str:
    """The TOML text of ``config`` after checking it reads back as the same valid configuration;
    raises ConfigError naming the key at fault (``path`` is only used in the message)."""
    text = to_toml(config)
    reread = parse(tomllib.loads(text), path)
    if reread != config:
        raise ConfigError(path, "(file)", "does not read back as written")
    return text


def validate_and_write(path: str | Path, config: KioskConfig) -> None:
    """Validate ``config`` (ConfigError names the key) and replace the file at ``path`` atomically.

    A temporary file in the same folder is written and fsynced, the old file is kept as
    ``<name>.bak``, then os.replace swaps the new one in and the folder is fsynced: a crash at
    any point leaves either the old or the new file whole, never a mix. Blocking: worker thread.
    """
    path = Path(path)
    text = validate(path, config)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f".{path.name}.*.tmp"):  # left by a crash before the replace
        stale.unlink(missing_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if path.exists():
            _backup(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    log.info("configuration written to %s", path)


def _backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        shutil.copy2(path, tmp_name)
        os.replace(tmp_name, bak)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not every platform opens folders (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_device(config: KioskConfig, role: str, driver: str, options: dict[str, Any] | None = None) -> KioskConfig:
    """A new validated config with ``role`` using ``driver`` and ``options`` (None values dropped).

    Raises ConfigError naming ``devices.<role>`` (unknown role), ``devices.<role>.driver``
    (unknown driver for the role, or it cannot run here) or ``devices.<role>`` (options the
    driver refuses). Creates the driver once to check its options (no I/O) and closes it.
    """
    from devices import registry

    where = f"devices.{role}"
    if role not in registry.ROLES:
        raise ConfigError("<config>", where, f"is not a device role ({', '.join(registry.ROLES)})")
    try:
        info = registry.get(role, driver)
    except KeyError:
        known = ", ".join(d.driver_id for d in registry.drivers(role))
        raise ConfigError("<config>", f"{where}.driver", f"{driver!r} is not a {role} driver ({known})") from None
    usable, why = info.usable()
    if not usable:
        raise ConfigError("<config>", f"{where}.driver", f"{driver} cannot run here: {why}")
    clean = {k: v for k, v in (options or {}).items() if v is not None}
    if {"driver", "required"} & set(clean):
        raise ConfigError("<config>", where, "options must not contain driver or required")
    try:
        device = registry.create(role, driver, **clean)
    except (TypeError, ValueError, KeyError) as exc:
        raise ConfigError("<config>", where, f"options refused by {driver}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a driver's own error type: still a refused option
        raise ConfigError("<config>", where, f"options refused by {driver}: {type(exc).__name__}: {exc}") from None
    try:
        device.close()
    except Exception:  # noqa: BLE001 - it was never opened; closing is a courtesy
        pass
    new = config.model_copy(deep=True)
    previous = config.devices.get(role)
    required = previous.required if previous is not None else False
    try:
        new.devices[role] = DeviceRole.model_validate({"driver": driver, "required": required, **clean},
                                                      ("devices", role))
    except SchemaError as exc:
        raise ConfigError("<config>", ".".join(exc.loc), exc.problem) from None
    validate("<config>", new)
    return new
