"""POST /reserves: the ledger's grant behind the same idempotency table as pushes."""

from __future__ import annotations

import uuid

import requests

from server.cli import main
from tests.server.server_helpers import TIMEOUT_S


def _reserve(live, headers, key, amount, resident="R-000001") -> requests.Response:  # noqa: ANN001
    body = {"key": str(key), "resident_id": resident, "amount": amount}
    return requests.post(live.base + "/reserves", json=body, headers=headers, timeout=TIMEOUT_S)


def test_a_reserve_is_granted_once_per_key_and_replayed(live):
    assert main(["--db", live.db_url, "points", "award", "R-000001", "500", "--dimension", "harmony",
                 "--reason", "volunteer"]) == 0
    kiosk_id, headers = live.enroll()
    key = uuid.uuid4()
    first = _reserve(live, headers, key, 100)
    assert first.status_code == 200, first.text
    grant = first.json()
    assert grant["kiosk_id"] == kiosk_id and grant["amount"] == 100 and grant["balance"] == 400
    again = _reserve(live, headers, key, 100)
    assert again.status_code == 200 and again.json() == grant


def test_the_same_reserve_key_with_another_amount_is_a_422(live):
    _, headers = live.enroll()
    key = uuid.uuid4()
    _reserve(live, headers, key, 10)
    clash = _reserve(live, headers, key, 20)
    assert clash.status_code == 422 and clash.json()["error"]["code"] == "sync.key_reused"


def test_reserves_need_an_enrolled_kiosk(live):
    r = _reserve(live, {}, uuid.uuid4(), 10)
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth.unknown_kiosk"
