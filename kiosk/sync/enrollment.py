"""Enroll this kiosk with a one-time code and keep its id and secret in the database."""

from __future__ import annotations

import logging

from kiosk.i18n import N_
from kiosk.storage import Database
from kiosk.sync.errors import BadRequest, Refused, SyncError
from kiosk.sync.state import Credentials, read_credentials, write_credentials
from kiosk.sync.transport import ServerClient

log = logging.getLogger(__name__)

BAD_CODE = N_("enroll.bad_code")


class EnrollmentError(SyncError):
    """The server refused the code (``key`` is its code, e.g. enroll.bad_code, enroll.expired)."""

    default_key = BAD_CODE


def enroll(db: Database, client: ServerClient, code: str, kiosk_name: str) -> Credentials:
    """Enroll with ``code`` and store the credentials (replacing earlier ones); blocking, worker thread.

    Sets ``client.credentials`` on success. Raises EnrollmentError for a refused or malformed
    code, and the transport's Offline/ServerBusy/ServerFault when the server cannot answer.
    """
    install_id = db.identity.install_id if db.identity else "unknown"
    code = code.strip()
    if not 4 <= len(code) <= 64:
        raise EnrollmentError("code length")
    try:
        answer = client.enroll(code, kiosk_name, install_id)
    except (Refused, BadRequest) as exc:
        raise EnrollmentError(exc.detail, key=exc.key if exc.key.startswith("enroll.") else BAD_CODE) from None
    creds = Credentials(answer.kiosk_id, answer.secret, answer.community_id, client.base_url)
    db.write(lambda s: write_credentials(s, creds))
    client.credentials = creds.pair()
    log.info("kiosk enrolled as %s", creds.kiosk_id)
    return creds


def load_credentials(db: Database) -> Credentials | None:
    """The stored credentials, or None before the first enrollment."""
    with db.session() as session:
        return read_credentials(session)
