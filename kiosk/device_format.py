"""Printable lines for the technician's device commands: rows, test outcomes, probe report."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from kiosk.device_probe import ProbeReport
from kiosk.i18n import N_, tr

if TYPE_CHECKING:
    from kiosk.device_admin import DeviceRow, TestOutcome


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    if dataclasses.is_dataclass(value):  # status objects: the conditions that are set
        flags = getattr(value, "flags", None)  # PLX status: named bits
        if flags is None:
            flags = [f.name if getattr(value, f.name) is True else f"{f.name}:{getattr(value, f.name)}"
                     for f in dataclasses.fields(value)
                     if getattr(value, f.name) not in (False, None, f.default)]
        return ",".join(sorted(flags)) or "-"
    return str(value)


def format_reading(reading: Any) -> str:
    """``systolic_mmhg=120 diastolic_mmhg=80 ...``: the reading's set fields, units in names."""
    if not dataclasses.is_dataclass(reading):
        return str(reading)
    return " ".join(f"{f.name}={_value(getattr(reading, f.name))}"
                    for f in dataclasses.fields(reading)
                    if getattr(reading, f.name) not in (None, False, ()))


def format_rows(rows: list["DeviceRow"]) -> list[str]:
    """One line per device: role, driver, simulated, usable (or why not), state after open."""
    lines = []
    for row in rows:
        twin = tr(N_("device_admin.row.simulated")) if row.simulated else ""
        head = f"{row.role:<12} {row.driver_id:<10} {twin:<12}"
        if not row.usable:
            text = tr(row.problem_key, **row.problem_params)
            lines.append(f"{head}  {tr(N_('device_admin.row.unusable'), reason=text)}"
                         + (f" ({row.detail})" if row.detail else ""))
            continue
        line = f"{head}  {tr(N_('device_admin.row.usable'))}"
        if row.state is not None:
            reason = tr(row.state_key, **row.state_params) if row.state_key else ""
            line += "  " + tr(N_("device_admin.row.state"), state=row.state, reason=reason)
            if row.detail:
                line += f" ({row.detail})"
        lines.append(line.rstrip())
    return lines


def format_outcome(outcome: "TestOutcome") -> list[str]:
    """The result of ``test_device`` as lines for a terminal."""
    lines = []
    if outcome.reading is not None:
        lines.append(tr(N_("device_admin.outcome.reading"), values=format_reading(outcome.reading)))
    if outcome.print_result is not None:
        result = outcome.print_result
        lines.append(tr(N_("device_admin.outcome.printed"), bytes=result.bytes_sent,
                        status=tr(result.status_after.key)))
    lines += [tr(N_("device_admin.outcome.scanned"), payload=p) for p in outcome.scans]
    if outcome.spoken:
        lines.append(tr(N_("device_admin.outcome.spoken"), text=outcome.spoken))
    lines += [tr(N_("device_admin.outcome.warning"), warning=tr(w)) for w in outcome.warnings]
    if outcome.error_key:
        lines.append(tr(N_("device_admin.outcome.error"),
                        error=tr(outcome.error_key, **outcome.error_params)))
    if outcome.detail:
        lines.append(tr(N_("device_admin.outcome.detail"), detail=outcome.detail))
    return lines


def format_probe(report: ProbeReport) -> list[str]:
    """Each section's heading, then what it found, or why it could not look."""
    titles = {
        "serial": N_("device_admin.probe.serial"), "cameras": N_("device_admin.probe.cameras"),
        "ble": N_("device_admin.probe.ble"), "usb_printers": N_("device_admin.probe.usb_printers"),
    }
    lines = []
    for section in report.sections:
        lines.append(tr(titles[section.name]) if section.name in titles else section.name)
        if not section.looked:
            why = tr(section.reason_key, **section.reason_params)
            lines.append("  " + tr(N_("device_admin.probe.cannot_look"), reason=why)
                         + (f" ({section.detail})" if section.detail else ""))
        elif not section.items:
            lines.append("  " + tr(N_("device_admin.probe.none_found")))
        for item in section.items:
            parts = [item.address, item.usb_id, item.description, *item.details]
            lines.append("  " + "  ".join(part for part in parts if part))
    return lines


__all__ = ["format_outcome", "format_probe", "format_reading", "format_rows"]
