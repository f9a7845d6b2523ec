"""`kiosk doctor`'s server check against the real reference server: not enrolled, accepted, revoked, unreachable."""

from __future__ import annotations

from kiosk.config import load
from server.db import utc_now
from kiosk.doctor import check_server
from kiosk.i18n import set_language
from kiosk.storage import open_database
from kiosk.sync.enrollment import enroll, load_credentials
from kiosk.sync.service import make_client
from support.http_faults import free_port
from support.sync_fixtures import live, live_db_url, seed  # noqa: F401


def _config(url):
    config = load(None)
    config.server.url = url
    config.server.required = True
    return config


def test_doctor_says_when_the_server_is_unreachable():
    set_language("en")
    check = check_server(_config(f"http://127.0.0.1:{free_port()}"))
    assert (check.ok, check.failed) == (False, True)
    assert "0 waiting to be sent" in check.message


def _revoke(db_url, kiosk_id):
    from server.db import make_engine, make_sessionmaker
    from server.kiosk_admin import revoke_kiosk
    from server.txn import in_transaction

    engine = make_engine(db_url)
    try:
        in_transaction(make_sessionmaker(engine), lambda s: revoke_kiosk(s, kiosk_id, now=utc_now()))
    finally:
        engine.dispose()


def test_doctor_follows_enrollment_and_revocation(live, seed):
    set_language("en")
    config = _config(live.url)
    check = check_server(config)
    assert not check.ok and "not enrolled" in check.message
    from kiosk import paths

    db = open_database(paths.database_path(config))
    client = make_client(config.server)
    try:
        enroll(db, client, seed["enroll_code"], "doctor test")
        kiosk_id = load_credentials(db).kiosk_id
    finally:
        client.close()
        db.close()
    check = check_server(config)
    assert check.ok, check.message
    assert "accepted" in check.message
    _revoke(live.db_url, kiosk_id)
    check = check_server(config)
    assert not check.ok and "accepted" not in check.message
