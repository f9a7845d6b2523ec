"""The kiosk-server command line run in-process against a temporary SQLite database."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from kiosk.protocol import parse_token
from server.changes import ChangeRow
from server.cli import main
from server.db import make_engine, make_sessionmaker, utc_now
from server.models import IdempotencyKey, Kiosk, ServiceRequest, ServiceRequestEvent, SigningKey
from server.testing import seed_minimal


@pytest.fixture
def db(sqlite_url) -> str:
    seed_minimal(sqlite_url)
    return sqlite_url


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def query(url: str, fn):  # noqa: ANN001, ANN201
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s, s.begin():
            return fn(s)
    finally:
        engine.dispose()


def feed(url: str, kind: str) -> list[ChangeRow]:
    return query(url, lambda s: list(s.scalars(select(ChangeRow).where(ChangeRow.kind == kind)
                                               .order_by(ChangeRow.seq))))


def test_migrate_reports_the_head_revision(capsys, sqlite_url):
    from server.migrate import head

    code, out, _ = run(capsys, "migrate", "--db", sqlite_url)
    assert code == 0 and head() in out


def test_resident_add_then_list_shows_masked_names_and_phones_unless_asked(capsys, db):
    code, out, _ = run(capsys, "resident", "add", "--db", db, "--name", "欧阳春华", "--birth-date", "1950-03-04",
                       "--community", "C-01", "--phone", "13912345678", "--family", "F-0001")
    assert code == 0 and out.strip() == "R-000004"
    code, out, _ = run(capsys, "resident", "list", "--db", db)
    line = next(l for l in out.splitlines() if l.startswith("R-000004"))
    assert "欧**华" in line and "139****5678" in line and "欧阳春华" not in out and "13912345678" not in out
    code, out, _ = run(capsys, "resident", "list", "--db", db, "--unmasked")
    assert "欧阳春华" in out
    assert feed(db, "resident")[-1].data["masked_name"] == "欧**华"


def test_resident_add_in_an_unknown_community_fails_with_exit_1(capsys, db):
    code, _, err = run(capsys, "resident", "add", "--db", db, "--name", "张三", "--birth-date", "1950-01-01",
                       "--community", "C-99")
    assert code == 1 and "C-99" in err and "Traceback" not in err


def test_token_issue_prints_a_payload_signed_by_the_published_key_and_writes_a_png(capsys, db, tmp_path):
    png = tmp_path / "qr.png"
    code, out, _ = run(capsys, "token", "issue", "R-000001", "--days", "30", "--png", str(png), "--db", db)
    assert code == 0
    claims, signing_input, signature = parse_token(out.strip())
    assert claims.subject == "R-000001" and claims.role.value == "R"
    assert claims.expires_at - claims.issued_at == 30 * 86400
    published = {c.data["kid"]: c.data["public_key"] for c in feed(db, "public_key")}
    Ed25519PublicKey.from_public_bytes(base64.b64decode(published[claims.key_id])).verify(signature, signing_input)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_staff_and_technicians_get_their_own_token_roles(capsys, db):
    _, out, _ = run(capsys, "token", "issue", "S-0001", "--db", db)
    assert parse_token(out.strip())[0].role.value == "S"
    _, out, _ = run(capsys, "token", "issue", "S-0002", "--db", db)
    assert parse_token(out.strip())[0].role.value == "T"


def test_token_issue_for_nobody_fails(capsys, db):
    code, _, err = run(capsys, "token", "issue", "R-999999", "--db", db)
    assert code == 1 and "R-999999" in err


def test_token_revoke_puts_the_id_on_the_deny_list_once(capsys, db):
    _, out, _ = run(capsys, "token", "issue", "R-000002", "--db", db)
    token_id = parse_token(out.strip())[0].token_id
    assert run(capsys, "token", "revoke", token_id, "--db", db)[1].strip() == "revoked"
    assert run(capsys, "token", "revoke", token_id, "--db", db)[1].strip() == "already revoked"
    assert [c.data for c in feed(db, "revoked_token")] == [{"token_id": token_id}]


def test_key_rotate_signs_with_the_new_key_and_keeps_the_old_one_valid_until_not_after(capsys, db):
    old = query(db, lambda s: s.scalars(select(SigningKey.kid)).one())
    code, out, _ = run(capsys, "key", "rotate", "--db", db)
    new = out.strip()
    assert code == 0 and new != old
    keys = query(db, lambda s: {k.kid: (k.retired, k.not_after) for k in s.scalars(select(SigningKey))})
    assert keys[new] == (False, None)
    assert keys[old][0] is True and keys[old][1] > utc_now() + timedelta(days=300)
    published = [c.data for c in feed(db, "public_key")]
    assert published[-2]["kid"] == old and published[-2]["not_after"] is not None
    assert published[-1]["kid"] == new
    _, out, _ = run(capsys, "token", "issue", "R-000001", "--db", db)
    assert parse_token(out.strip())[0].key_id == new


def test_kiosk_enroll_code_list_and_revoke(capsys, db):
    code, out, _ = run(capsys, "kiosk", "enroll-code", "--community", "C-01", "--ttl-hours", "2", "--db", db)
    assert code == 0 and len(out.strip().replace("-", "")) == 10
    assert run(capsys, "kiosk", "enroll-code", "--community", "C-77", "--db", db)[0] == 1
    from server.kiosk_admin import enroll
    from kiosk.protocol import EnrollRequest

    resp = query(db, lambda s: enroll(s, EnrollRequest(code=out.strip(), kiosk_name="大厅", install_id="i",
                                                        version="1"), now=utc_now()))
    _, listing, _ = run(capsys, "kiosk", "list", "--db", db)
    assert resp.kiosk_id in listing and "active" in listing
    assert run(capsys, "kiosk", "revoke", resp.kiosk_id, "--db", db)[0] == 0
    assert "revoked" in run(capsys, "kiosk", "list", "--db", db)[1]
    assert query(db, lambda s: s.get(Kiosk, resp.kiosk_id).revoked_at) is not None
    assert feed(db, "kiosk_status")[-1].audience_kiosk_id == resp.kiosk_id
    assert run(capsys, "kiosk", "revoke", "K-NOPE", "--db", db)[0] == 1


def _add_request(url: str, tracking_no: str) -> None:
    query(url, lambda s: s.add(ServiceRequest(tracking_no=tracking_no, kiosk_id="K-1", resident_id="R-000001",
                                              category="repair", location="1幢", description="灯坏了")))


def test_request_update_follows_allowed_transitions_and_notifies_the_filing_kiosk(capsys, db):
    _add_request(db, "SR-0001")
    assert run(capsys, "request", "list", "--status", "submitted", "--db", db)[1].startswith("SR-0001\tsubmitted")
    assert run(capsys, "request", "update", "SR-0001", "--status", "accepted", "--note", "已受理", "--db", db)[0] == 0
    code, _, err = run(capsys, "request", "update", "SR-0001", "--status", "closed", "--db", db)
    assert code == 1 and "accepted -> closed" in err
    assert run(capsys, "request", "update", "SR-0001", "--status", "bogus", "--db", db)[0] == 1
    assert run(capsys, "request", "update", "SR-0404", "--status", "accepted", "--db", db)[0] == 1
    change = feed(db, "request_status")[-1]
    assert change.audience_kiosk_id == "K-1" and change.data["status"] == "accepted" and change.data["note"] == "已受理"
    events = query(db, lambda s: [e.status for e in s.scalars(select(ServiceRequestEvent))])
    assert events == ["accepted"]
    assert run(capsys, "request", "list", "--status", "submitted", "--db", db)[1] == ""


def test_config_set_parses_json_values_and_publishes_the_scope(capsys, db):
    assert run(capsys, "config", "set", "canteen.caps", '{"per_day": 2}', "--db", db)[0] == 0
    assert run(capsys, "config", "set", "ui.greeting", "您好", "--db", db)[0] == 0
    assert feed(db, "kiosk_config")[-1].data == {"scope": "global",
                                                  "settings": {"canteen.caps": {"per_day": 2}, "ui.greeting": "您好"}}
    assert run(capsys, "config", "set", "x", "1", "--kiosk", "K-NOPE", "--db", db)[0] == 1


def test_purge_keys_refuses_less_than_90_days_and_deletes_only_older_keys(capsys, db):
    import uuid

    def add(session) -> None:  # noqa: ANN001
        for age_days in (100, 10):
            session.add(IdempotencyKey(key=uuid.uuid4(), kiosk_id="K-1", kind="k", payload_hash="h",
                                       status_code=200, response={}, created_at=utc_now() - timedelta(days=age_days)))

    query(db, add)
    code, _, err = run(capsys, "maintenance", "purge-keys", "--older-than-days", "89", "--db", db)
    assert code == 1 and "90" in err
    code, out, _ = run(capsys, "maintenance", "purge-keys", "--older-than-days", "90", "--db", db)
    assert code == 0 and out.strip() == "1"
    assert query(db, lambda s: len(s.scalars(select(IdempotencyKey)).all())) == 1


def test_usage_errors_exit_2_and_the_db_comes_from_the_environment(capsys, monkeypatch, sqlite_url):
    assert run(capsys, "no-such-command")[0] == 2
    assert run(capsys, "token", "issue")[0] == 2
    monkeypatch.setenv("KIOSK_SERVER_DB", sqlite_url)
    assert run(capsys, "migrate")[0] == 0
    from server.migrate import current, head

    assert current(sqlite_url) == head()


def test_python_dash_m_server_runs_the_cli(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'm.db'}"
    done = subprocess.run([sys.executable, "-m", "server", "--db", url, "migrate"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "revision" in done.stdout
