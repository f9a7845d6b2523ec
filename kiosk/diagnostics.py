"""Diagnostics bundle for technicians: one zip of versions, config, devices, checks, sync and logs,
with secrets and personal data (names, phones, health values, tokens, wire payloads) removed."""

from __future__ import annotations

import io
import json
import logging
import os
import platform
import re
import sqlite3
import sys
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk import __version__, paths
from kiosk.atomic_file import write_atomically
from kiosk.config_writer import to_toml
from kiosk.logging_setup import KIOSK_LOG, WIRE_LOG, redact
from kiosk.storage.column_types import utc_now

log = logging.getLogger(__name__)

REDACTED = "[redacted]"
MAX_LOG_BYTES = 2 * 1024 * 1024  # the newest part of each log file
LOG_FILES_PER_KIND = 3  # kiosk.log, kiosk.log.1, kiosk.log.2 (and the same for wire.log)

_SIGNED_CODE = re.compile(r"\bK[TCA]1:[A-Za-z0-9:\-=]+")
_BEARER = re.compile(r"(?i)\b(bearer|authorization:?|secret[=:]?|password[=:]?|pin[=:]?)(\s*)(\S+)")
_HEX_RUN = re.compile(r"\b[0-9a-fA-F]{2}(?: [0-9a-fA-F]{2}){2,}\b")
_RESIDENT_ID = re.compile(r"\bR-\d{4,}\b")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_NUMBER = r"\d+(?:[.,]\d+)?"
_HEALTH_WORD = re.compile(
    r"(?i)\b(systolic|diastolic|sys|dia|map|mean_arterial|pulse|heart[_ ]?rate|spo2|sp02|oxygen|"
    r"temperature|temp|weight|height|bmi|glucose|sugar|bp|blood[_ ]?pressure|value|values|reading)\b"
    r"([^0-9A-Za-z\n]{0,6})(" + _NUMBER + r"(?:\s*/\s*" + _NUMBER + r")*)")
_HEALTH_WORD_ZH = re.compile(
    r"(血压|收缩压|舒张压|血氧|脉搏|心率|体温|体重|身高|血糖|BMI)([^0-9\n]{0,8})(" + _NUMBER + r"(?:\s*/\s*" + _NUMBER + r")*)")
_BP = re.compile(r"(?<![\d:.\-])\d{2,3}\s*/\s*\d{2,3}(?![\d:.\-])")
_WITH_UNIT = re.compile(r"(?i)(?<![\w.])" + _NUMBER + r"\s*(mm\s?hg|kpa|%|°c|℃|°f|kg|lb|mmol/l|mg/dl|bpm|/min|次/分)")


def redact_text(text: str, personal: tuple[str, ...] = ()) -> str:
    """``text`` without personal data: phones, ID cards, ``personal`` values, signed QR codes,
    secrets, device payload bytes, resident ids, health values, and any Chinese text (names)."""
    text = redact(text, personal)
    text = _SIGNED_CODE.sub("[code]", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _HEX_RUN.sub(lambda m: f"[{len(m.group(0).split())} bytes]", text)
    text = _RESIDENT_ID.sub("R-[id]", text)
    text = _HEALTH_WORD.sub(lambda m: f"{m.group(1)}{m.group(2)}[value]", text)
    text = _HEALTH_WORD_ZH.sub(lambda m: f"{m.group(1)}{m.group(2)}[value]", text)
    text = _WITH_UNIT.sub("[value]", text)
    text = _BP.sub("[value]", text)
    return _CJK.sub("[zh]", text)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def versions(runtime: Any) -> dict[str, Any]:
    db = runtime.database
    return {
        "kiosk": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "schema": db.schema_revision() if db is not None else None,
        "install_id": db.identity.install_id if db is not None and db.identity else None,
        "packages": {name: _package_version(name) for name in (
            "PySide6-Essentials", "SQLAlchemy", "alembic", "requests", "python-escpos", "pyttsx3", "zxing-cpp")},
        "created_at": utc_now().isoformat(timespec="seconds"),
    }


def redacted_config(config: Any) -> str:
    """The running configuration as TOML with the enrollment code and the PIN hash removed."""
    safe = config.model_copy(deep=True)
    if safe.server.enrollment_code:
        safe.server.enrollment_code = REDACTED
    if safe.technician.pin_hash:
        object.__setattr__(safe.technician, "pin_hash", REDACTED)  # not a valid hash: skip the check
    return to_toml(safe)


def device_list(runtime: Any) -> list[dict[str, Any]]:
    config, hub = runtime.config, runtime.devices
    rows = []
    for role, setting in sorted(config.devices.items()):
        row: dict[str, Any] = {"role": role, "driver": setting.driver, "required": setting.required,
                               "options": setting.options}
        if hub is not None:
            report = hub.state(role)
            row.update(state=report.state.value, reason_key=report.reason_key,
                       params={k: str(v) for k, v in report.params.items()})
        rows.append(row)
    return rows


def checks(runtime: Any) -> list[dict[str, Any]]:
    """Doctor checks that need no second copy of a running part (devices, fonts, server, speech)."""
    from kiosk import doctor

    out: list[dict[str, Any]] = []

    def add(fn, *args) -> None:  # noqa: ANN001
        try:
            found = fn(*args)
        except Exception as exc:  # noqa: BLE001 - a failing check is a finding, not a failed export
            out.append({"name": getattr(fn, "__name__", "check"), "ok": False, "message": type(exc).__name__})
            return
        for check in found if isinstance(found, list) else [found]:
            out.append({"name": check.name, "ok": check.ok, "required": check.required,
                        "message": redact_text(check.message)})

    if runtime.database is not None:
        ok = runtime.database.integrity_check()
        out.append({"name": "database", "ok": ok, "required": True, "message": "integrity ok" if ok else "damaged"})
    add(doctor.check_devices, runtime.config)
    add(doctor.check_fonts)
    add(doctor.check_server, runtime.config)
    out.append({"name": "speech", "ok": bool(runtime.voice.status().get("available")), "required": False,
                "message": redact_text(json.dumps(runtime.voice.status(), ensure_ascii=False, default=str))})
    return out


def sync_status(runtime: Any) -> dict[str, Any]:
    from sqlalchemy import func, select

    from kiosk.sync import outbox
    from kiosk.sync.models import OutboxRow
    from kiosk.sync.state import read_credentials, read_cursor

    db = runtime.database
    if db is None:
        return {"database": None}
    with db.session() as session:
        creds = read_credentials(session)
        by_state = {f"{kind} {state}": n for kind, state, n in session.execute(
            select(OutboxRow.kind, OutboxRow.state, func.count()).group_by(OutboxRow.kind, OutboxRow.state))}
        dead = [{"seq": d.seq, "kind": d.kind, "error": d.error, "attempts": d.attempts,
                 "created_at": d.created_at.isoformat(timespec="seconds")} for d in outbox.dead_letters(session)]
        cursor = read_cursor(session)
    status = runtime.sync.relay.status if runtime.sync is not None else None
    return {
        "server_url": runtime.config.server.url,
        "kiosk_id": creds.kiosk_id if creds else None,
        "community_id": creds.community_id if creds else None,
        "cursor": cursor,
        "outbox": by_state,
        "dead_letters": dead,
        "relay": None if status is None else {"online": status.online, "pending": status.pending,
                                              "refused": status.refused, "dead": status.dead,
                                              "last_error": status.last_error},
    }


def _log_files(log_dir: Path) -> list[Path]:
    found = []
    for base in (KIOSK_LOG, WIRE_LOG):
        for n in range(LOG_FILES_PER_KIND):
            path = log_dir / (base if n == 0 else f"{base}.{n}")
            if path.is_file():
                found.append(path)
    return found


def _tail(path: Path) -> str:
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - MAX_LOG_BYTES))
        data = fh.read()
    text = data.decode("utf-8", errors="replace")
    return text if size <= MAX_LOG_BYTES else text.split("\n", 1)[-1]  # drop the cut first line


def _personal_values(runtime: Any) -> tuple[str, ...]:
    """Masked names the kiosk holds (residents, staff): removed from logs whatever their script."""
    if runtime.database is None:
        return ()
    from sqlalchemy import select

    from kiosk.staff.models import StaffEntry
    from kiosk.sync.models import ResidentEntry

    with runtime.database.session() as session:
        names = set(session.scalars(select(ResidentEntry.masked_name)))
        names |= set(session.scalars(select(StaffEntry.masked_name)))
    return tuple(sorted((n for n in names if n and len(n) >= 2), key=len, reverse=True))


def export_bundle(runtime: Any, out_dir: str | Path, *, log_dir: str | Path | None = None) -> Path:
    """Write ``kiosk-diagnostics-<kiosk>-<time>.zip`` into ``out_dir`` and return its path.

    Holds versions.json, config.toml (no enrollment code, no PIN hash), devices.json (roles,
    drivers, options, states), checks.json, sync.json (counts and dead letters without
    payloads) and logs/ (the newest part of kiosk.log and wire.log, redacted line by line).
    Blocking (checks call the server, logs are read): run it with ``runtime.run_blocking``.
    The zip is written to a temporary name and renamed, so a pulled USB stick leaves no half file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    logs = Path(log_dir) if log_dir is not None else paths.log_dir(runtime.config)
    sync = sync_status(runtime)
    personal = _personal_values(runtime)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"kiosk-diagnostics-{sync.get('kiosk_id') or 'unenrolled'}-{stamp}.zip"
    parts: dict[str, str] = {
        "versions.json": json.dumps(versions(runtime), ensure_ascii=False, indent=2),
        "config.toml": redacted_config(runtime.config),
        "devices.json": json.dumps(device_list(runtime), ensure_ascii=False, indent=2, default=str),
        "checks.json": json.dumps(checks(runtime), ensure_ascii=False, indent=2, default=str),
        "sync.json": json.dumps(sync, ensure_ascii=False, indent=2, default=str),
    }
    for path in _log_files(logs):
        parts[f"logs/{path.name}"] = "\n".join(redact_text(line, personal) for line in _tail(path).split("\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for part, text in parts.items():
            zf.writestr(part, text)
    target = out_dir / name
    write_atomically(target, buffer.getvalue(), durable=True)
    log.info("diagnostics bundle written (%d parts)", len(parts))
    return target
