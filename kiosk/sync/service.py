"""Builds the sync service (client, relay, wallet) from the [server] configuration."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.config import KioskConfig, ServerSection
from kiosk.points.wallet import Wallet
from kiosk.storage import Database
from kiosk.sync.backoff import Backoff
from kiosk.sync.enrollment import enroll, load_credentials
from kiosk.sync.relay import Relay
from kiosk.sync.state import Credentials
from kiosk.sync.transport import ServerClient

log = logging.getLogger(__name__)


@dataclass
class SyncService:
    """The running sync parts; ``close()`` stops the relay thread and the HTTP sessions."""

    client: ServerClient
    relay: Relay
    wallet: Wallet

    def enroll(self, code: str, kiosk_name: str) -> Credentials:
        """Enroll (or re-enroll) and sync at once; blocking, call from a worker thread."""
        creds = enroll(self.relay.db, self.client, code, kiosk_name)
        self.relay.sync_now()
        return creds

    def close(self, timeout_s: float = 10.0) -> None:
        self.relay.stop(timeout_s)
        self.client.close()


def make_client(server: ServerSection, credentials: Credentials | None = None) -> ServerClient:
    """A client for the configured server with its TLS and timeout settings."""
    return ServerClient(
        server.url,
        credentials=credentials.pair() if credentials else None,
        ca_bundle=server.ca_bundle or None,
        connect_timeout_s=server.connect_timeout_s,
        read_timeout_s=server.read_timeout_s,
        deadline_s=server.deadline_s,
    )


def start_sync(config: KioskConfig, db: Database) -> SyncService | None:
    """Start the relay thread for ``config.server``; None when no server URL is configured.

    Reads the stored credentials (blocking read: call after the database is open, off the Qt
    thread). Without credentials the relay reports ``refused = "sync.not_enrolled"`` until
    ``SyncService.enroll`` succeeds.
    """
    server = config.server
    if not server.url.strip():
        return None
    client = make_client(server, load_credentials(db))
    relay = Relay(
        db, client, push_batch=server.push_batch, pull_interval_s=server.pull_interval_s,
        refused_retry_s=server.refused_retry_s,
        backoff=Backoff(base_s=server.backoff_base_s, cap_s=server.backoff_cap_s),
    )
    wallet = Wallet(db, client, on_commit=relay.wake)
    relay.start()
    log.info("sync started for %s", server.url)
    return SyncService(client, relay, wallet)
