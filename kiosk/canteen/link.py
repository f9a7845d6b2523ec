"""What the canteen and points services need to reach: the kiosk database, the server client, the relay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from kiosk.points.wallet import Wallet
from kiosk.storage import Database
from kiosk.storage.column_types import utc_now
from kiosk.sync.state import Credentials, read_credentials
from kiosk.sync.transport import ServerClient


@dataclass
class Link:
    """The database, the server client (None: offline-only) and ``on_commit`` (wake the relay).

    Every service function taking a link also accepts what :func:`as_link` converts: a
    ``kiosk.runtime.Runtime`` (``ctx.runtime``), a ``kiosk.sync.service.SyncService`` or a
    ``Database``. The functions block (database writer, HTTP): call them from a worker thread,
    e.g. ``runtime.run_blocking(lambda: book(runtime, ...))``.
    """

    db: Database
    client: ServerClient | None = None
    on_commit: Callable[[], None] | None = None
    clock: Callable[[], datetime] = utc_now
    _wallet: Wallet | None = field(default=None, repr=False)

    @property
    def wallet(self) -> Wallet:
        if self._wallet is None:
            self._wallet = Wallet(self.db, self.client, clock=self.clock, on_commit=self.on_commit)
        return self._wallet

    def credentials(self) -> Credentials | None:
        with self.db.session() as session:
            return read_credentials(session)

    def committed(self) -> None:
        """A record was committed: let the relay send it soon."""
        if self.on_commit is not None:
            self.on_commit()


def as_link(source: Any) -> Link:
    """A Link from a Link, a Runtime (``.database`` and ``.sync``), a SyncService or a Database."""
    if isinstance(source, Link):
        return source
    if isinstance(source, Database):
        return Link(source)
    sync = getattr(source, "sync", None)
    db = getattr(source, "database", None)
    if db is not None:  # kiosk.runtime.Runtime
        if sync is None:
            return Link(db)
        return Link(db, sync.client, sync.relay.wake, _wallet=getattr(sync, "wallet", None))
    relay = getattr(source, "relay", None)
    if relay is not None:  # kiosk.sync.service.SyncService
        return Link(relay.db, source.client, relay.wake, _wallet=getattr(source, "wallet", None))
    raise TypeError(f"cannot reach the kiosk database through {type(source).__name__}")
