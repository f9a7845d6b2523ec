"""Facts about this installation kept in app_meta: install id and first start time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.storage.column_types import utc_now
from kiosk.storage.models import AppMeta

INSTALL_ID = "install_id"
FIRST_STARTED_AT = "first_started_at"


@dataclass(frozen=True)
class InstallIdentity:
    install_id: str
    first_started_at: datetime


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(AppMeta, key)
    return row.value if row is not None else None


def set_meta(session: Session, key: str, value: str) -> None:
    """Insert or update ``key``; call inside :meth:`Database.write`."""
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value, updated_at=utc_now()))
    elif row.value != value:
        row.value = value
        row.updated_at = utc_now()


def ensure_install_identity(session: Session) -> InstallIdentity:
    """Create the install id and first start time once; later calls return the stored ones."""
    install_id = get_meta(session, INSTALL_ID)
    if install_id is None:
        install_id = str(uuid.uuid4())
        set_meta(session, INSTALL_ID, install_id)
    first = get_meta(session, FIRST_STARTED_AT)
    if first is None:
        first = utc_now().isoformat()
        set_meta(session, FIRST_STARTED_AT, first)
    return InstallIdentity(install_id, datetime.fromisoformat(first))
