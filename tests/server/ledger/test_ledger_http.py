"""The ledger behind the real server over loopback HTTP: reserve grant, offline spends, release, replays."""

from __future__ import annotations

import uuid

import pytest
import requests

from kiosk.protocol import API_PREFIX, auth_header
from server.db import make_engine, make_sessionmaker, utc_now
from server.ledger.movements import award, check_invariants, resident_balance

TIMEOUT_S = (3, 10)


@pytest.fixture
def kiosk(sqlite_url):
    from server.testing import ServerThread, seed_minimal

    ids = seed_minimal(sqlite_url)
    engine = make_engine(sqlite_url)
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        award(s, ids["residents"][0], 1000, "harmony", "opening", "system", None)
        s.commit()
    with ServerThread(sqlite_url) as server, requests.Session() as http:
        http.trust_env = False
        r = http.post(server.base_url + API_PREFIX + "/enroll", timeout=TIMEOUT_S, json={
            "code": ids["enroll_code"], "kiosk_name": "test", "install_id": "I-1", "version": "0"})
        r.raise_for_status()
        enrolled = r.json()
        http.headers.update(auth_header(enrolled["kiosk_id"], enrolled["secret"]))
        yield {"http": http, "url": server.base_url + API_PREFIX, "ids": ids, "sessions": sessions,
               "kiosk_id": enrolled["kiosk_id"]}
    engine.dispose()


def _push(k, *records):
    body = {"records": [{"key": str(key), "kind": kind, "payload": payload, "created_at": utc_now().isoformat()}
                        for key, kind, payload in records]}
    r = k["http"].post(k["url"] + "/sync/push", json=body, timeout=TIMEOUT_S)
    r.raise_for_status()
    return r.json()["results"]


def test_grant_spend_offline_release_and_replays_over_http_move_each_point_once(kiosk):
    payer, partner, stranger = kiosk["ids"]["residents"]
    r = kiosk["http"].post(kiosk["url"] + "/reserves", timeout=TIMEOUT_S,
                           json={"key": str(uuid.uuid4()), "resident_id": payer, "amount": 400})
    r.raise_for_status()
    grant = r.json()
    assert (grant["amount"], grant["balance"]) == (400, 600)
    spend = {"payer_id": payer, "beneficiary_id": partner, "amount": 150, "purpose": "canteen",
             "merchant_id": "canteen:C-01", "reserve_id": grant["reserve_id"]}
    records = [(uuid.uuid4(), "points.spend", spend),
               (uuid.uuid4(), "points.spend", {**spend, "amount": 300}),  # more than is left
               (uuid.uuid4(), "reserve.release", {"reserve_id": grant["reserve_id"]})]
    first = _push(kiosk, *records)
    assert [x["outcome"] for x in first] == ["applied", "rejected", "applied"]
    assert first[1]["error"]["code"] == "points.reserve_exceeded"
    assert first[2]["result"]["balance"] == 850
    again = _push(kiosk, *records)
    assert [x["outcome"] for x in again] == ["replayed", "rejected", "replayed"]  # the stored answers
    assert again[1]["error"] == first[1]["error"] and again[0]["result"] == first[0]["result"]
    stranger_spend = {**spend, "beneficiary_id": stranger, "reserve_id": None}
    refused = _push(kiosk, (uuid.uuid4(), "points.spend", stranger_spend))
    assert (refused[0]["outcome"], refused[0]["error"]["code"]) == ("rejected", "points.not_family")
    with kiosk["sessions"]() as s:
        assert resident_balance(s, payer) == 850
        assert check_invariants(s) == []
    feed = kiosk["http"].get(kiosk["url"] + "/sync/changes", params={"cursor": 0}, timeout=TIMEOUT_S).json()
    reserve_amounts = [c["data"]["amount"] for c in feed["changes"] if c["kind"] == "reserve"]
    assert reserve_amounts == [400, 250, 0]
