"""Kiosk heartbeats: stored as received, the last KEEP_PER_KIOSK per kiosk; the newest is its status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.protocol import Heartbeat, HeartbeatAnswer
from server.models import Kiosk
from server.ops.models import KioskHeartbeat

KEEP_PER_KIOSK = 100


def record_heartbeat(session: Session, kiosk_id: str, beat: Heartbeat, *, now: datetime,
                     keep: int = KEEP_PER_KIOSK) -> HeartbeatAnswer:
    """Store ``beat`` for ``kiosk_id``, forget its beats older than the newest ``keep``, and note
    the kiosk's version and last contact."""
    session.add(KioskHeartbeat(kiosk_id=kiosk_id, received_at=now, data=beat.model_dump(mode="json")))
    session.flush()
    cutoff = session.scalar(select(KioskHeartbeat.id).where(KioskHeartbeat.kiosk_id == kiosk_id)
                            .order_by(KioskHeartbeat.id.desc()).offset(keep).limit(1))
    if cutoff is not None:
        session.execute(delete(KioskHeartbeat).where(KioskHeartbeat.kiosk_id == kiosk_id,
                                                     KioskHeartbeat.id <= cutoff))
    session.execute(update(Kiosk).where(Kiosk.id == kiosk_id).values(version=beat.version[:32], last_seen=now))
    return HeartbeatAnswer(received_at=now)


def latest_heartbeats(session: Session) -> dict[str, KioskHeartbeat]:
    """The newest heartbeat of every kiosk that sent one, by kiosk id."""
    newest = select(KioskHeartbeat.kiosk_id, func.max(KioskHeartbeat.id).label("id")).group_by(
        KioskHeartbeat.kiosk_id).subquery()
    rows = session.scalars(select(KioskHeartbeat).join(newest, KioskHeartbeat.id == newest.c.id))
    return {row.kiosk_id: row for row in rows}


def heartbeat_history(session: Session, kiosk_id: str, limit: int = KEEP_PER_KIOSK) -> list[KioskHeartbeat]:
    """The kiosk's stored heartbeats, newest first."""
    return list(session.scalars(select(KioskHeartbeat).where(KioskHeartbeat.kiosk_id == kiosk_id)
                                .order_by(KioskHeartbeat.id.desc()).limit(limit)))
