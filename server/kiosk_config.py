"""Kiosk configuration settings (global or per kiosk), published as KIOSK_CONFIG changes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server.changes import record_change
from server.models import Kiosk, KioskSetting

GLOBAL_SCOPE = "global"


def parse_value(text: str) -> Any:
    """A CLI value: JSON when it parses (numbers, true, lists, objects), else the plain string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def settings_of(session: Session, kiosk_id: str | None) -> dict[str, Any]:
    """The settings of one scope (a kiosk's own, or the global ones when ``kiosk_id`` is None)."""
    rows = session.scalars(select(KioskSetting).where(
        KioskSetting.kiosk_id.is_(None) if kiosk_id is None else KioskSetting.kiosk_id == kiosk_id
    ).order_by(KioskSetting.key))
    return {r.key: r.value for r in rows}


def set_setting(session: Session, key: str, value: Any, *, kiosk_id: str | None = None, now: datetime) -> None:
    """Set ``key`` for every kiosk (or one) and publish the whole scope; LookupError for an unknown kiosk."""
    if kiosk_id is not None and session.get(Kiosk, kiosk_id) is None:
        raise LookupError(f"unknown kiosk {kiosk_id}")
    scope = KioskSetting.kiosk_id.is_(None) if kiosk_id is None else KioskSetting.kiosk_id == kiosk_id
    row = session.scalars(select(KioskSetting).where(scope, KioskSetting.key == key).with_for_update()).first()
    if row is None:
        session.add(KioskSetting(kiosk_id=kiosk_id, key=key, value=value, updated_at=now))
    else:
        row.value = value
        row.updated_at = now
    session.flush()
    record_change(
        session, ChangeKind.KIOSK_CONFIG, kiosk_id or GLOBAL_SCOPE,
        {"scope": kiosk_id or GLOBAL_SCOPE, "settings": settings_of(session, kiosk_id)},
        audience_kiosk_id=kiosk_id,
    )
