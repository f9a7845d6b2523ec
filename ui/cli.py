"""The `kiosk` command: demo, run, screenshot, audit, doctor."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.config import FONT_SCALES, ConfigError, KioskConfig, load
from kiosk.i18n import LANGUAGES, tr


def _load_config(path: str | None, *, demo: bool = False) -> KioskConfig:
    config = load(path)
    if demo:
        config.kiosk.demo = True
    return config


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.device_admin import with_demo_devices, with_demo_technician_pin

    config = with_demo_technician_pin(with_demo_devices(_load_config(None, demo=True)))
    return _run(config, fullscreen=not args.windowed)


def cmd_run(args: argparse.Namespace) -> int:
    config = _load_config(args.config)
    from kiosk.config_writer import note_loaded

    note_loaded(args.config)  # technician mode writes its changes back to this file
    return _run(config, fullscreen=config.ui.fullscreen and not args.windowed)


def _ensure_display() -> None:
    """Without a screen Qt would abort; say so plainly and run offscreen instead."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            print(tr("No screen found (DISPLAY is not set): running offscreen until stopped."), file=sys.stderr)
            os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _run(config: KioskConfig, *, fullscreen: bool) -> int:
    _ensure_display()
    from ui.app import run

    return run(config, fullscreen=fullscreen)  # paints home, then starts the runtime; closes it


def cmd_screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.screenshot import take_screenshots

    written = take_screenshots(_load_config(args.config), Path(args.out), args.lang, args.scale,
                               tuple(args.only or ()))
    for path in written:
        print(path)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.audit import run_audit

    languages = (args.lang,) if args.lang else LANGUAGES
    scales = (args.scale,) if args.scale else FONT_SCALES
    findings = run_audit(_load_config(args.config), languages, scales, only=tuple(args.only or ()))
    for finding in findings:
        print(finding)
    print(f"audit: {len(findings)} finding(s) in {len(languages)} language(s) x {len(scales)} scale(s)")
    return 1 if findings else 0


def cmd_technician(args: argparse.Namespace) -> int:
    from kiosk.staff.technician import run_cli

    return run_cli(args)


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.doctor import run_checks

    checks = run_checks(_load_config(args.config))
    for check in checks:
        mark = "OK  " if check.ok else ("FAIL" if check.required else "off ")
        print(f"[{mark}] {check.name}: {check.message}")
    failed = [c for c in checks if c.failed]
    print(tr("{failed} required check(s) failed", failed=len(failed)) if failed else tr("All required checks passed"))
    return 1 if failed else 0


class PrintingHandler:
    """Prints a device's prompts and progress for a technician at a terminal."""

    def __init__(self) -> None:
        self._last = ""

    def prompt(self, key: str, **params: object) -> None:
        print("  >", tr(key, **params), flush=True)

    def progress(self, key: str, fraction: float | None = None, **params: object) -> None:
        line = tr(key, **params)
        if line != self._last:
            self._last = line
            print("  ...", line, flush=True)


def _device_config(args: argparse.Namespace) -> KioskConfig:
    config = _load_config(args.config)
    if args.demo or not config.devices:
        from kiosk.device_admin import with_demo_devices

        config = with_demo_devices(config)
    return config


def cmd_devices(args: argparse.Namespace) -> int:
    from devices.base import PromptHandler
    from kiosk import device_admin

    if args.action == "probe":
        for line in device_admin.format_probe(device_admin.probe()):
            print(line)
        return 0
    config = _device_config(args)
    if args.action == "list":
        for line in device_admin.format_rows(device_admin.list_devices(config, connect=args.connect)):
            print(line)
        return 0
    if not args.role:
        print(tr("Name the device role to test, e.g. kiosk devices test bp"), file=sys.stderr)
        return 2
    handler = PrintingHandler()
    PromptHandler.register(PrintingHandler)
    outcome = device_admin.test_device(config, args.role, handler=handler, seconds=args.seconds)
    for line in device_admin.format_outcome(outcome):
        print(line)
    return 0 if outcome.ok else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="Elderly-friendly community service kiosk.")
    p.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run on embedded defaults (simulated devices)")
    demo.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    demo.set_defaults(func=cmd_demo)

    run = sub.add_parser("run", help="run with a configuration file")
    run.add_argument("--config", required=True, help="TOML configuration file")
    run.add_argument("--windowed", action="store_true")
    run.set_defaults(func=cmd_run)

    shot = sub.add_parser("screenshot", help="render every screen to PNG files")
    shot.add_argument("--out", required=True, help="output folder")
    shot.add_argument("--lang", choices=LANGUAGES, default="zh_CN")
    shot.add_argument("--scale", type=float, choices=FONT_SCALES, default=1.0)
    shot.add_argument("--config", help="TOML configuration file (default: embedded)")
    shot.add_argument("--only", action="append", help="render only screens whose name starts with this (repeatable)")
    shot.set_defaults(func=cmd_screenshot)

    audit = sub.add_parser("audit", help="check every screen against the accessibility budget")
    audit.add_argument("--lang", choices=LANGUAGES)
    audit.add_argument("--scale", type=float, choices=FONT_SCALES)
    audit.add_argument("--config")
    audit.add_argument("--only", action="append", help="audit only screens whose name starts with this (repeatable)")
    audit.set_defaults(func=cmd_audit)

    dev = sub.add_parser("devices", help="technician: list, probe and test devices")
    dev.add_argument("action", choices=("list", "probe", "test"))
    dev.add_argument("role", nargs="?", help="with test: bp, spo2, thermometer, scale, glucose, scanner, printer, speech")
    dev.add_argument("--config", help="TOML configuration file (default: embedded, with simulated devices)")
    dev.add_argument("--demo", action="store_true", help="use the simulated twins whatever the file says")
    dev.add_argument("--connect", action="store_true", help="with list: open and close each device")
    dev.add_argument("--seconds", type=float, default=10.0, help="with test scanner: how long to scan")
    dev.set_defaults(func=cmd_devices)

    doctor = sub.add_parser("doctor", help="report each subsystem; exit 1 if a required one is broken")
    doctor.add_argument("--config")
    doctor.set_defaults(func=cmd_doctor)

    tech = sub.add_parser("technician", help="technician: set the technician PIN")
    tech.add_argument("action", choices=("set-pin",))
    tech.add_argument("--config", help="TOML configuration file (default: KIOSK_CONFIG or the user config folder)")
    tech.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
    tech.set_defaults(func=cmd_technician)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(tr("Configuration error in {path}: setting '{key}': {problem}", path=exc.path, key=exc.key, problem=exc.problem), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
