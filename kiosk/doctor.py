"""`kiosk doctor`: checks each subsystem and says plainly what works and what does not."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from kiosk import paths
from kiosk.config import KioskConfig
from kiosk.i18n import _, tr


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    required: bool
    message: str

    @property
    def failed(self) -> bool:
        return self.required and not self.ok


def check_database(config: KioskConfig) -> Check:
    from kiosk.storage import StorageError, open_database

    path = paths.database_path(config)
    try:
        db = open_database(path)
    except StorageError as exc:
        return Check(_("Database"), False, True, tr("Cannot open {path}: {problem}", path=str(path), problem=str(exc)))
    try:
        ok = db.integrity_check()
        revision = db.schema_revision()
    finally:
        db.close()
    if not ok:
        return Check(_("Database"), False, True, tr("Integrity check failed for {path}", path=str(path)))
    return Check(_("Database"), True, True, tr("{path} (schema {revision}), integrity ok", path=str(path), revision=revision))


def check_speech(config: KioskConfig) -> Check:
    from kiosk.voice import voice_status

    status = voice_status(config.voice)
    required = config.voice.required
    if not config.voice.enabled:
        return Check(_("Speech"), False, required, _("Speech is switched off in the configuration"))
    if not status.get("available"):
        return Check(
            _("Speech"), False, required,
            tr("Speech is off: {reason}", reason=status.get("reason") or _("no speech engine")),
        )
    return Check(
        _("Speech"), True, required,
        tr("{engine}, voice {voice}, audio: {player}", engine=status.get("engine", "?"),
           voice=status.get("voice", "?"), player=status.get("player") or _("none")),
    )


def check_fonts() -> Check:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Check(_("Chinese fonts"), False, False, _("fc-list not found; cannot check fonts"))
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    if not out.strip():
        return Check(_("Chinese fonts"), False, True, _("No Chinese font installed (install fonts-noto-cjk)"))
    family = "Noto Sans CJK SC" if "Noto Sans CJK SC" in out else out.splitlines()[0].split(",")[0]
    return Check(_("Chinese fonts"), True, True, family)


def check_devices(config: KioskConfig) -> list[Check]:
    from devices import registry

    if not config.devices:
        return [Check(_("Devices"), True, False, _("No devices configured"))]
    checks = []
    for role, setting in sorted(config.devices.items()):
        name = tr("Device {role}", role=role)
        try:
            info = registry.get(role, setting.driver)
        except (KeyError, ValueError) as exc:
            checks.append(Check(name, False, setting.required, str(exc).strip("'\"")))
            continue
        usable, why = info.usable()
        message = setting.driver if usable else tr("{driver} cannot run here: {reason}", driver=setting.driver, reason=why)
        checks.append(Check(name, usable, setting.required, message))
    return checks


def _sync_facts(config: KioskConfig) -> tuple[object | None, int, int]:
    """Stored credentials and the pending / dead-letter counts of the outbox (None, 0, 0 if unreadable)."""
    from kiosk.storage import StorageError, open_database
    from kiosk.sync import outbox
    from kiosk.sync.enrollment import load_credentials

    try:
        db = open_database(paths.database_path(config))
    except StorageError:
        return None, 0, 0
    try:
        with db.session() as session:
            pending, dead = outbox.pending_count(session), outbox.dead_count(session)
        return load_credentials(db), pending, dead
    finally:
        db.close()


def check_server(config: KioskConfig) -> Check:
    """Reachable, speaking our protocol, and accepting this kiosk's credentials; plus the queue."""
    from kiosk.sync.errors import SyncError
    from kiosk.sync.service import make_client

    url = config.server.url
    required = config.server.required
    name = _("Server link")
    if not url:
        return Check(name, False, required, _("No server configured: the kiosk works offline only"))
    credentials, pending, dead = _sync_facts(config)
    queue = tr("{pending} waiting to be sent, {dead} refused by the server", pending=pending, dead=dead)
    client = make_client(config.server, credentials)  # type: ignore[arg-type]
    try:
        health = client.health()
        if credentials is None:
            return Check(name, False, required, tr(
                "{url} answers (version {version}) but this kiosk is not enrolled: set server.enrollment_code",
                url=url, version=health.version) + "; " + queue)
        client.changes(cursor=0, limit=1)
    except SyncError as exc:
        return Check(name, False, required, tr("{url}: {problem}", url=url, problem=_(exc.key)) + "; " + queue)
    finally:
        client.close()
    return Check(name, True, required, tr("{url} (version {version}), this kiosk is accepted", url=url,
                                          version=health.version) + "; " + queue)


def run_checks(config: KioskConfig) -> list[Check]:
    return [check_database(config), check_speech(config), check_fonts(), *check_devices(config), check_server(config)]
