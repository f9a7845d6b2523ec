"""The diagnostics bundle: what a technician needs, and no name, phone, health value, token or secret."""

from __future__ import annotations

import json
import logging
import tomllib
import zipfile

from kiosk.diagnostics import export_bundle, redact_text
from kiosk.health.models import HealthMeasurementRow
from kiosk.logging_setup import configure_logging, shutdown_logging
from kiosk.protocol import TokenRole
from kiosk.staff.pins import hash_pin
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.models import ResidentEntry
from kiosk.sync.state import Credentials, write_credentials
from support.kiosk_world import kiosk_runtime, new_issuer

FULL_NAME, MASKED, PHONE, RESIDENT = "王建国", "王*国", "13800000001", "R-000001"
SECRET, CODE = "s3cr3t-kiosk-secret-value", "ABCDE-FGHJK"


def _seed_database(db, token: str) -> None:  # noqa: ANN001
    def seed(s) -> None:  # noqa: ANN001
        write_credentials(s, Credentials("K-DIAG0001", SECRET, "C-01", "http://127.0.0.1:1"))
        s.add(ResidentEntry(resident_id=RESIDENT, masked_name=MASKED, birth_year=1950, family_id="F-1",
                            community_id="C-01"))
        s.add(HealthMeasurementRow(check_id="A" * 26, resident_id=RESIDENT, kind="bp",
                                   values={"systolic": 187, "diastolic": 121, "pulse": 93}, measured_at=utc_now(),
                                   device_role="bp", device_driver="sim", site=None, outbox_key="k"))
        key = outbox.enqueue(s, "request.file", {"text": f"{FULL_NAME} {PHONE} 漏水", "token": token,
                                                 "resident_id": RESIDENT})
        s.flush()
        from kiosk.protocol import ErrorBody, Outcome, RecordResult

        outbox.mark(s, [RecordResult(key=key, outcome=Outcome.REJECTED, status_code=422,
                                     error=ErrorBody(code="request.bad_category"))])
        outbox.enqueue(s, "health.observations", {"resident_id": RESIDENT, "observations": [{"value": 38.76}]})

    db.write(seed)


def _write_logs(log_dir, token: str) -> None:  # noqa: ANN001
    files = configure_logging(log_dir)
    try:
        log = logging.getLogger("kiosk.test")
        log.info("identified resident %s (%s) phone %s", RESIDENT, FULL_NAME, PHONE)
        log.warning("measurement: systolic=187 diastolic=121 pulse 93 bpm, SpO2 91%%, temperature 38.76 °C")
        log.info("glucose: 11.87 mmol/L, weight 73.45 kg; bp 187/121")
        log.info("scanned payload %s", token)
        log.info("auth header Bearer K-DIAG0001:%s", SECRET)
        log.info("staff %s helped %s", "周晓燕", MASKED)
        logging.getLogger("devices.wire.bp").debug("rx %s", bytes.fromhex("04bb00790050005d0048").hex(" "))
        log.info("sync cycle ok, queue 2")
    finally:
        shutdown_logging()
    with files.kiosk_log.open("a", encoding="utf-8") as fh:  # a line an older build wrote unfiltered
        fh.write(f"2026-11-20 legacy line {PHONE} {FULL_NAME} 血压 187/121 血糖11.87\n")


def test_the_bundle_holds_versions_config_devices_checks_sync_and_logs_without_personal_data(tmp_path):
    issuer = new_issuer()
    token = issuer.card(RESIDENT, role=TokenRole.RESIDENT)
    token_id = token.split(":")[6]
    devices = {"printer": {"driver": "sim", "fault": "near_end"}, "bp": {"driver": "sim"}}
    with kiosk_runtime(tmp_path, devices) as runtime:
        runtime.config.server.enrollment_code = CODE
        pin = hash_pin("482913")
        runtime.config.technician.pin_hash = pin
        _seed_database(runtime.database, token)
        runtime.devices.get("printer").status()  # the printer answered once: near end
        _write_logs(tmp_path / "logs", token)

        bundle = export_bundle(runtime, tmp_path / "usb", log_dir=tmp_path / "logs")

    assert bundle.parent == tmp_path / "usb" and bundle.name.startswith("kiosk-diagnostics-K-DIAG0001-")
    with zipfile.ZipFile(bundle) as zf:
        parts = {name: zf.read(name).decode("utf-8") for name in zf.namelist()}
    assert set(parts) == {"versions.json", "config.toml", "devices.json", "checks.json", "sync.json",
                          "logs/kiosk.log", "logs/wire.log"}
    assert json.loads(parts["versions.json"])["kiosk"] == __import__("kiosk").__version__
    config = tomllib.loads(parts["config.toml"])
    assert config["server"]["enrollment_code"] == "[redacted]" and config["technician"]["pin_hash"] == "[redacted]"
    states = {d["role"]: (d["driver"], d["state"], d["reason_key"]) for d in json.loads(parts["devices.json"])}
    assert states["printer"] == ("sim", "ready", "printer.paper_near_end") and states["bp"][0] == "sim"
    checks = {c["name"]: c for c in json.loads(parts["checks.json"])}
    assert checks["database"]["ok"] is True and "speech" in checks
    sync = json.loads(parts["sync.json"])
    assert sync["kiosk_id"] == "K-DIAG0001" and sync["outbox"]["health.observations pending"] == 1
    assert [(d["kind"], d["error"]) for d in sync["dead_letters"]] == [("request.file", "request.bad_category")]
    assert "sync cycle ok, queue 2" in parts["logs/kiosk.log"] and "rx [10 bytes]" in parts["logs/wire.log"]

    everything = "\n".join(parts.values())
    for leak in (FULL_NAME, MASKED, "周晓燕", PHONE, "00000001", RESIDENT, token, token_id, "187", "121", "38.76",
                 "11.87", "73.45", "91%", SECRET, CODE, pin, "04 bb", "漏水", "血压"):
        assert leak not in everything, leak


def test_redaction_keeps_what_a_technician_needs():
    line = "2026-11-21 09:00:01,123 INFO kiosk.sync.relay [sync-relay] push 200 records in 0.35 s; next in 60.0 s"
    assert redact_text(line) == line
    assert redact_text("tx 1b 40 1d 56 00") == "tx [5 bytes]"
    assert redact_text("printer paper_mm=58 status near_end") == "printer paper_mm=58 status near_end"
