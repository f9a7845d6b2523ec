"""The health receipt for the printer, and what the screen shows when paper fails (a QR instead)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment
from kiosk.health.receipt import health_receipt, view_payload

# What a guest's fallback QR holds: the values in plain ASCII (payloads stay ASCII, STANDARDS 5),
# so a phone camera shows them; nothing about the person.
_ASCII_NAMES = {"bp": "BP", "spo2": "SpO2", "temperature": "Temp", "weight": "Weight", "glucose": "Glucose"}


def paper_mm(printer: Any) -> int:
    """The printer's paper width (58 or 80 mm); 58 when the driver does not say."""
    renderer = getattr(printer, "renderer", None)
    width = getattr(getattr(renderer, "paper", None), "width_mm", 58)
    return width if width in (58, 80) else 58


def record_url(server_url: str, check_id: str | None) -> str | None:
    """The server page of a kept check (the receipt's QR), or None without a check or a server."""
    if not check_id or not server_url.strip():
        return None
    try:
        return view_payload(server_url, check_id)
    except ValueError:
        return None


def values_text(measurements: list[Measurement], when: datetime) -> str:
    """An ASCII summary of the values for a QR a guest can scan with a phone."""
    lines = [f"Health check {when.astimezone():%Y-%m-%d %H:%M}"]
    for m in measurements:
        v = m.values
        if m.kind == "bp":
            text = f"{v['systolic_mmhg']:.0f}/{v['diastolic_mmhg']:.0f} mmHg"
        elif m.kind == "spo2":
            text = f"{v['spo2_pct']:.0f} %"
        elif m.kind == "temperature":
            text = f"{v['temperature_c']:.1f} C"
        elif m.kind == "weight":
            text = f"{v['weight_kg']:.1f} kg" + (f", BMI {v['bmi']:.1f}" if "bmi" in v else "")
        else:
            text = f"{v['glucose_mmol_l']:.1f} mmol/L"
        if "pulse_bpm" in v:
            text += f", pulse {v['pulse_bpm']:.0f}/min"
        lines.append(f"{_ASCII_NAMES[m.kind]} {text}")
    return "\n".join(lines)


def fallback_payload(server_url: str, check_id: str | None, measurements: list[Measurement], when: datetime) -> str:
    """What the on-screen QR holds when the receipt cannot be printed."""
    return record_url(server_url, check_id) or values_text(measurements, when)


def receipt(measurements: list[Measurement], assessments_by_kind: dict[str, list[Assessment]], *,
            masked_name: str | None, when: datetime, server_url: str, check_id: str | None,
            printer: Any) -> Any:
    """The ReceiptDocument for ``printer`` (its paper width), in the current language."""
    return health_receipt(measurements, assessments_by_kind, masked_name=masked_name, when=when,
                          view_payload=record_url(server_url, check_id), paper_mm=paper_mm(printer))
