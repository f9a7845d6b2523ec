"""`kiosk technician set-pin`: hash a new technician PIN into the kiosk's configuration file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kiosk.config import ConfigError, load
from kiosk.config_writer import config_path, validate_and_write
from kiosk.i18n import _, tr
from kiosk.staff.pins import PinFormatError, check_new_pin, hash_pin


def set_technician_pin(path: str | Path, pin: str) -> Path:
    """Store a fresh salted hash of ``pin`` as ``[technician] pin_hash`` in the file at ``path``
    (created from the defaults when missing), atomically. Raises PinFormatError, ConfigError."""
    path = Path(path)
    check_new_pin(pin)
    config = load(path) if path.exists() else load(None)
    config.technician.pin_hash = hash_pin(pin)
    validate_and_write(path, config)
    return path


def _read_pin(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass(_("New technician PIN (6-12 digits): "))
    second = getpass.getpass(_("The same PIN again: "))
    return first if first == second else None


def run_cli(args: argparse.Namespace) -> int:
    """The command: 0 saved, 1 the PIN was refused (printed in plain words), 2 bad configuration."""
    path = Path(args.config).expanduser() if getattr(args, "config", None) else config_path()
    pin = _read_pin(bool(getattr(args, "pin_stdin", False)))
    if pin is None:
        print(_("The two PINs differ; nothing was changed."), file=sys.stderr)
        return 1
    try:
        written = set_technician_pin(path, pin)
    except PinFormatError as exc:
        print(_(exc.key), file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(tr("Configuration error in {path}: setting '{key}': {problem}", path=exc.path, key=exc.key,
                 problem=exc.problem), file=sys.stderr)
        return 2
    print(tr("Technician PIN saved in {path}", path=str(written)))
    return 0
