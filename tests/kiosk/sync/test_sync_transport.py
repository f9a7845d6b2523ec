"""ServerClient over real loopback HTTP: typed failures, TLS with a custom CA, trust_env off, deadlines."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from uuid import uuid4

import pytest

from kiosk.protocol import OutboxRecord
from kiosk.sync.errors import BadRequest, NotEnrolled, Offline, Refused, ServerBusy, ServerFault, TlsFailure
from kiosk.sync.transport import ServerClient, parse_retry_after
from support.http_faults import MisbehavingServer, free_port
from support.tls import make_ca_and_server_cert, server_context


def _client(url: str, **kw) -> ServerClient:
    kw.setdefault("connect_timeout_s", 1.0)
    kw.setdefault("read_timeout_s", 1.0)
    kw.setdefault("deadline_s", 2.0)
    return ServerClient(url, credentials=("K-1", "secret"), **kw)


def _record() -> OutboxRecord:
    return OutboxRecord(key=uuid4(), kind="test.count", payload={"n": 1}, created_at=datetime.now(timezone.utc))


def test_connection_refused_is_offline_with_the_offline_key():
    client = _client(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(Offline) as info:
        client.health()
    assert info.value.key == "sync.offline"
    client.close()


@pytest.mark.parametrize("mode, error, key", [
    ("500", ServerFault, "sync.server_fault"),
    ("malformed_json", ServerFault, "sync.server_fault"),
    ("wrong_schema", ServerFault, "sync.server_fault"),
    ("html", ServerFault, "sync.server_fault"),
])
def test_bad_answers_are_server_faults(mode, error, key):
    with MisbehavingServer(mode) as server:
        client = _client(server.base_url)
        with pytest.raises(error) as info:
            client.push([_record()])
        client.close()
    assert info.value.key == key
    assert server.request_count == 1  # never retried at the transport level


@pytest.mark.parametrize("mode", ["429", "503"])
def test_busy_answers_carry_retry_after_in_seconds(mode):
    with MisbehavingServer(mode, retry_after="7") as server:
        client = _client(server.base_url)
        with pytest.raises(ServerBusy) as info:
            client.push([_record()])
        client.close()
    assert info.value.retry_after_s == 7.0
    assert info.value.key == "sync.server_busy"
    assert server.request_count == 1


def test_busy_without_retry_after_has_none():
    with MisbehavingServer("429", retry_after=None) as server:
        client = _client(server.base_url)
        with pytest.raises(ServerBusy) as info:
            client.health()
        client.close()
    assert info.value.retry_after_s is None


def test_retry_after_accepts_an_http_date_and_rejects_garbage():
    now = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_a_stalled_server_is_offline_after_the_read_timeout():
    with MisbehavingServer("stall") as server:
        client = _client(server.base_url, read_timeout_s=0.3, deadline_s=5.0)
        started = time.monotonic()
        with pytest.raises(Offline) as info:
            client.health()
        elapsed = time.monotonic() - started
        client.close()
    assert info.value.key == "sync.timeout"
    assert 0.25 <= elapsed < 1.5


def test_a_trickling_server_cannot_hold_a_call_past_the_deadline():
    # One byte every 0.1 s never trips the 1 s read timeout; only the deadline stops it.
    with MisbehavingServer("trickle", trickle_interval_s=0.1) as server:
        client = _client(server.base_url, read_timeout_s=1.0, deadline_s=0.8)
        started = time.monotonic()
        with pytest.raises(Offline) as info:
            client.health()
        elapsed = time.monotonic() - started
        client.close()
    assert info.value.key == "sync.timeout"
    assert elapsed < 1.3, f"call took {elapsed:.2f} s with a 0.8 s deadline"


def test_authenticated_call_without_credentials_is_not_enrolled_and_sends_nothing():
    with MisbehavingServer("500") as server:
        client = ServerClient(server.base_url)
        with pytest.raises(NotEnrolled):
            client.changes(0, 10)
        client.close()
    assert server.request_count == 0


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    return make_ca_and_server_cert(tmp_path_factory.mktemp("tls"))


def test_tls_with_an_unknown_ca_fails_verification(tls_files):
    ca, cert, key = tls_files
    with MisbehavingServer("ok_health", ssl_context=server_context(cert, key)) as server:
        client = _client(server.base_url)
        with pytest.raises(TlsFailure) as info:
            client.health()
        client.close()
    assert info.value.key == "sync.tls_failed"
    assert isinstance(info.value, Offline)


def test_tls_with_the_configured_ca_bundle_succeeds(tls_files):
    ca, cert, key = tls_files
    with MisbehavingServer("ok_health", ssl_context=server_context(cert, key)) as server:
        client = _client(server.base_url, ca_bundle=str(ca))
        assert client.health().status == "ok"
        client.close()


def test_requests_ca_bundle_in_the_environment_is_ignored(tls_files, monkeypatch):
    ca, cert, key = tls_files
    # The environment names the right CA, but the kiosk was configured without one: still refused.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(ca))
    with MisbehavingServer("ok_health", ssl_context=server_context(cert, key)) as server:
        client = _client(server.base_url)
        with pytest.raises(TlsFailure):
            client.health()
        client.close()


def test_proxy_settings_in_the_environment_are_ignored(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
    with MisbehavingServer("ok_health") as server:
        client = _client(server.base_url)
        assert client.health().status == "ok"  # through a dead proxy this would be Offline
        client.close()


def test_every_session_has_trust_env_off_and_verify_set(tls_files):
    ca, _, _ = tls_files
    client = _client("https://127.0.0.1:1", ca_bundle=str(ca))
    session = client._session()
    assert session.trust_env is False
    assert session.verify == str(ca)
    client.close()
    assert _client("https://127.0.0.1:1")._session().verify is True


class _StatusServer(MisbehavingServer):
    """Answers with a fixed status and an ErrorResponse body carrying ``code``."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__("500")
        self.status, self.code = status, code

    def _handle(self, h):  # noqa: ANN001
        body = ('{"error": {"code": "%s", "detail": "", "params": {}}}' % self.code).encode()
        self._send(h, self.status, body)


@pytest.mark.parametrize("status, code", [(401, "auth.unknown_kiosk"), (403, "auth.revoked")])
def test_401_and_403_are_refused_with_the_servers_code(status, code):
    with _StatusServer(status, code) as server:
        client = _client(server.base_url)
        with pytest.raises(Refused) as info:
            client.changes(0, 10)
        client.close()
    assert (info.value.code, info.value.status) == (code, status)


def test_other_4xx_are_bad_requests_with_the_servers_code():
    with _StatusServer(422, "request.invalid") as server:
        client = _client(server.base_url)
        with pytest.raises(BadRequest) as info:
            client.push([_record()])
        client.close()
    assert (info.value.key, info.value.status) == ("request.invalid", 422)
