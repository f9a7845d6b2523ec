"""Small sync facts kept in app_meta: kiosk credentials, pull cursor, revocation flag."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kiosk.storage.meta import get_meta, set_meta

KIOSK_ID = "sync.kiosk_id"
SECRET = "sync.secret"
COMMUNITY_ID = "sync.community_id"
SERVER_URL = "sync.server_url"
CURSOR = "sync.cursor"
REVOKED = "sync.kiosk_revoked"


@dataclass(frozen=True)
class Credentials:
    """What enrollment gave this kiosk; ``secret`` is never logged."""

    kiosk_id: str
    secret: str
    community_id: str
    server_url: str = ""

    def __repr__(self) -> str:
        return f"Credentials(kiosk_id={self.kiosk_id!r}, community_id={self.community_id!r})"

    def pair(self) -> tuple[str, str]:
        return self.kiosk_id, self.secret


def read_credentials(session: Session) -> Credentials | None:
    kiosk_id, secret = get_meta(session, KIOSK_ID), get_meta(session, SECRET)
    if not kiosk_id or not secret:
        return None
    return Credentials(kiosk_id, secret, get_meta(session, COMMUNITY_ID) or "", get_meta(session, SERVER_URL) or "")


def write_credentials(session: Session, creds: Credentials) -> None:
    """Store (replace) the credentials; a new enrollment also restarts the pull from zero."""
    set_meta(session, KIOSK_ID, creds.kiosk_id)
    set_meta(session, SECRET, creds.secret)
    set_meta(session, COMMUNITY_ID, creds.community_id)
    set_meta(session, SERVER_URL, creds.server_url)
    set_meta(session, CURSOR, "0")
    set_meta(session, REVOKED, "0")


def read_cursor(session: Session) -> int:
    value = get_meta(session, CURSOR)
    return int(value) if value and value.isdigit() else 0


def write_cursor(session: Session, cursor: int) -> None:
    set_meta(session, CURSOR, str(int(cursor)))


def is_revoked(session: Session) -> bool:
    return get_meta(session, REVOKED) == "1"


def set_revoked(session: Session, revoked: bool) -> None:
    set_meta(session, REVOKED, "1" if revoked else "0")
