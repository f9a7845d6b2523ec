"""Kiosk enrollment with one-time codes, and authentication of every other route (401/403)."""

from __future__ import annotations

from datetime import timedelta

import requests

from kiosk.protocol import ErrorResponse, auth_header
from server.cli import main
from tests.server.server_helpers import TIMEOUT_S


def _enroll(live, code: str) -> requests.Response:
    body = {"code": code, "kiosk_name": "一楼大厅", "install_id": "abc", "version": "0.1.0"}
    return requests.post(live.base + "/enroll", json=body, timeout=TIMEOUT_S)


def _error_code(response: requests.Response) -> str:
    return ErrorResponse.model_validate(response.json()).error.code


def test_a_good_code_enrolls_a_kiosk_whose_credentials_then_authenticate(live):
    r = _enroll(live, live.new_code())
    assert r.status_code == 200
    data = r.json()
    assert data["community_id"] == "C-01" and data["kiosk_id"].startswith("K-") and len(data["secret"]) >= 40
    pulled = requests.get(live.base + "/sync/changes", headers=auth_header(data["kiosk_id"], data["secret"]),
                          timeout=TIMEOUT_S)
    assert pulled.status_code == 200


def test_a_code_is_accepted_in_lower_case_without_its_dash(live):
    code = live.new_code()
    assert _enroll(live, code.replace("-", "").lower()).status_code == 200


def test_a_code_works_only_once(live):
    code = live.new_code()
    assert _enroll(live, code).status_code == 200
    again = _enroll(live, code)
    assert again.status_code == 403 and _error_code(again) == "enroll.code_used"


def test_an_expired_code_is_refused(live):
    code = live.new_code()  # valid 24 h
    live.clock.offset = timedelta(hours=25)
    r = _enroll(live, code)
    assert r.status_code == 403 and _error_code(r) == "enroll.code_expired"


def test_an_unknown_code_is_refused(live):
    r = _enroll(live, "ZZZZZ-ZZZZZ")
    assert r.status_code == 403 and _error_code(r) == "enroll.bad_code"


def test_missing_malformed_unknown_or_wrong_credentials_are_401(live):
    kiosk_id, good = live.enroll()
    url = live.base + "/sync/changes"
    cases = [
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": f"Bearer {kiosk_id}"},
        auth_header("K-00000000", "whatever"),
        auth_header(kiosk_id, "wrong-secret"),
    ]
    for headers in cases:
        r = requests.get(url, headers=headers, timeout=TIMEOUT_S)
        assert r.status_code == 401, headers
        assert _error_code(r) == "auth.unknown_kiosk"
    assert requests.get(url, headers=good, timeout=TIMEOUT_S).status_code == 200


def test_a_revoked_kiosk_is_403_on_every_authenticated_route(live):
    kiosk_id, headers = live.enroll()
    assert main(["kiosk", "revoke", kiosk_id, "--db", live.db_url]) == 0
    r = requests.get(live.base + "/sync/changes", headers=headers, timeout=TIMEOUT_S)
    assert r.status_code == 403 and _error_code(r) == "auth.revoked"
    r = live.push(headers, [])
    assert r.status_code == 403 and _error_code(r) == "auth.revoked"


def test_health_needs_no_credentials_and_reports_the_protocol(live):
    r = requests.get(live.base + "/health", timeout=TIMEOUT_S)
    assert r.status_code == 200 and r.json()["protocol"] == 1 and r.json()["status"] == "ok"


def test_openapi_lists_every_v1_route(live):
    paths = requests.get(live.server.base_url + "/openapi.json", timeout=TIMEOUT_S).json()["paths"]
    assert {"/api/v1/health", "/api/v1/enroll", "/api/v1/sync/push", "/api/v1/sync/changes",
            "/api/v1/reserves"} <= set(paths)


def test_an_unknown_route_answers_an_error_body_with_a_message_key(live):
    r = requests.get(live.base + "/nowhere", timeout=TIMEOUT_S)
    assert r.status_code == 404 and _error_code(r) == "http.not_found"
