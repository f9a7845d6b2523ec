"""Pull the changes feed and apply each page in one transaction together with its cursor."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.points.models import Reserve
from kiosk.protocol import Change, ChangeKind, ChangesResponse
from kiosk.storage import Database
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import BalanceCache, ResidentEntry, RevokedToken, ServerCache, SettingCache, TrustedKey
from kiosk.sync.state import read_cursor, set_revoked, write_cursor
from kiosk.sync.transport import ServerClient
from kiosk.requests.sync_apply import apply_photo_change, apply_status_change  # issue #6
from kiosk import events  # issue #8: settings and help calls announced after their page commits
from kiosk.help_calls import apply_help_call_change  # issue #8
from kiosk.staff.directory import apply_staff_change  # issue #8

log = logging.getLogger(__name__)

DEFAULT_PAGE = 500
MAX_PAGES_PER_PULL = 1000  # a server that always says "more" cannot keep the relay forever


class CursorMoved(Exception):
    """Another pull applied a page meanwhile; this page is dropped and fetched again later."""


def pull_all(db: Database, client: ServerClient, limit: int = DEFAULT_PAGE, clock: Callable[[], datetime] = utc_now) -> int:
    """Fetch and apply pages until the server has no more; returns how many changes were applied.

    Blocking (relay thread). Raises the transport's errors; pages already applied stay applied.
    """
    applied = 0
    for _ in range(MAX_PAGES_PER_PULL):
        with db.session() as session:
            cursor = read_cursor(session)
        as_of = clock()
        page = client.changes(cursor, limit)
        try:
            db.write(lambda s: apply_page(s, cursor, page, as_of))
        except CursorMoved:
            continue
        _announce(db, page)
        applied += len(page.changes)
        if not page.more or not page.changes:
            break
    return applied


def apply_page(session: Session, expected_cursor: int, page: ChangesResponse, as_of: datetime) -> None:
    """Apply ``page`` and store its cursor in the caller's write transaction.

    ``as_of`` is the local time just before the page was requested. Raises CursorMoved when
    the stored cursor is no longer ``expected_cursor``.
    """
    if read_cursor(session) != expected_cursor:
        raise CursorMoved()
    for change in page.changes:
        handler = _HANDLERS.get(change.kind)
        if handler is not None:
            handler(session, change, as_of)
    write_cursor(session, max(page.cursor, expected_cursor))


def _upsert(session: Session, model: type, pk: Any, **values: Any) -> None:
    row = session.get(model, pk)
    if row is None:
        session.add(model(**values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def _public_key(session: Session, change: Change, as_of: datetime) -> None:
    kid = str(change.data.get("kid") or change.key)
    _upsert(session, TrustedKey, kid, kid=kid, data=dict(change.data), updated_at=utc_now())


def _revoked_token(session: Session, change: Change, as_of: datetime) -> None:
    token_id = str(change.data.get("token_id") or change.key)
    if session.get(RevokedToken, token_id) is None:
        session.add(RevokedToken(token_id=token_id, revoked_at=utc_now()))


def _balance(session: Session, change: Change, as_of: datetime) -> None:
    rid = str(change.data.get("resident_id") or change.key)
    _upsert(session, BalanceCache, rid, resident_id=rid, balance=int(change.data["balance"]), updated_at=utc_now())


def _reserve(session: Session, change: Change, as_of: datetime) -> None:
    data = change.data
    reserve_id = str(data.get("reserve_id") or change.key)
    amount = int(data.get("amount", 0))
    expires_at = _aware(data.get("expires_at"))
    row = session.get(Reserve, reserve_id)
    if row is None:  # granted before this kiosk stored it (a lost answer): no local spends yet
        session.add(Reserve(
            reserve_id=reserve_id, resident_id=str(data.get("resident_id", "")), granted_amount=amount,
            granted_as_of=as_of, granted_at=as_of, server_amount=amount,
            expires_at=expires_at or as_of, released_at=None,
        ))
        return
    row.server_amount = amount  # an upper bound of what is left; the wallet takes the minimum
    if expires_at is not None:
        row.expires_at = expires_at


def _kiosk_config(session: Session, change: Change, as_of: datetime) -> None:
    settings = change.data.get("settings", change.data)
    if isinstance(settings, dict):
        for key, value in settings.items():
            _upsert(session, SettingCache, str(key), key=str(key), value=value, updated_at=utc_now())


def _resident(session: Session, change: Change, as_of: datetime) -> None:
    d = change.data
    rid = str(d.get("resident_id") or change.key)
    birth_year = d.get("birth_year")
    _upsert(
        session, ResidentEntry, rid, resident_id=rid, masked_name=str(d.get("masked_name", "")),
        birth_year=int(birth_year) if birth_year is not None else None, family_id=d.get("family_id"),
        community_id=d.get("community_id"), updated_at=utc_now(),
    )


def _cached(session: Session, change: Change, as_of: datetime) -> None:
    kind = change.kind.value
    _upsert(session, ServerCache, (kind, change.key), kind=kind, key=change.key, data=dict(change.data),
            updated_at=utc_now())


def _canteen_booking(session: Session, change: Change, as_of: datetime) -> None:
    from kiosk.canteen.feed import apply_booking_change  # the canteen imports the sync models

    apply_booking_change(session, change, as_of)


def _request_status(session: Session, change: Change, as_of: datetime) -> None:
    _cached(session, change, as_of)  # the raw change, as before
    apply_status_change(session, change, as_of)  # the request's timeline (kiosk.requests)


def _kiosk_status(session: Session, change: Change, as_of: datetime) -> None:
    set_revoked(session, bool(change.data.get("revoked")))


_HANDLERS: dict[ChangeKind, Callable[[Session, Change, datetime], None]] = {
    ChangeKind.PUBLIC_KEY: _public_key,
    ChangeKind.REVOKED_TOKEN: _revoked_token,
    ChangeKind.BALANCE: _balance,
    ChangeKind.RESERVE: _reserve,
    ChangeKind.KIOSK_CONFIG: _kiosk_config,
    ChangeKind.RESIDENT: _resident,
    ChangeKind.MENU: _cached,
    ChangeKind.REQUEST_STATUS: _request_status,
    ChangeKind.REQUEST_PHOTO: apply_photo_change,
    ChangeKind.REQUEST_CATEGORY: _cached,
    ChangeKind.REQUEST_PLACES: _cached,
    ChangeKind.KIOSK_STATUS: _kiosk_status,
    ChangeKind.STAFF: apply_staff_change,
    ChangeKind.HELP_CALL: apply_help_call_change,
    ChangeKind.CANTEEN_BOOKING: _canteen_booking,  # canteen and points (issue #7)
    ChangeKind.CANTEEN_SEATS: _cached,
    ChangeKind.TICKET_KEY: _cached,
    ChangeKind.ACTIVITY: _cached,
    ChangeKind.LEADERBOARD: _cached,
}


def _announce(db: Database, page: ChangesResponse) -> None:
    """After a page committed: tell listeners of pulled settings and help calls (relay thread)."""
    kinds = {change.kind for change in page.changes}
    if ChangeKind.KIOSK_CONFIG in kinds:
        events.server_settings_did_change.emit(db)
    if ChangeKind.HELP_CALL in kinds:
        events.help_calls_did_change.emit(db)


def _aware(value: Any) -> datetime | None:
    if not value:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=utc_now().tzinfo)


def load_keyring_data(session: Session) -> list[dict[str, Any]]:
    """The pulled PUBLIC_KEY data dicts (kid, public_key, not_after), for Keyring.from_change_data."""
    return [dict(row.data) for row in session.scalars(select(TrustedKey).order_by(TrustedKey.kid))]


def revoked_token_ids(session: Session) -> set[str]:
    """Every token id on the pulled deny-list."""
    return set(session.scalars(select(RevokedToken.token_id)))


def settings(session: Session) -> dict[str, Any]:
    """Kiosk settings pushed by the server."""
    return {row.key: row.value for row in session.scalars(select(SettingCache))}
