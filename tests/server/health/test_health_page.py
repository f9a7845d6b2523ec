"""GET /h/{check_id}: the receipt QR's page shows masked name, time, values and categories; 404 otherwise."""

from __future__ import annotations

import requests

from kiosk.health.store import new_check_id
from tests.server.health.health_helpers import bp, check_payload, check_record, consent_record, spo2
from tests.server.server_helpers import TIMEOUT_S


def test_the_page_shows_the_check_with_a_masked_name(live):
    _, headers = live.enroll()
    payload = check_payload([bp(165, 102, 88), spo2(88, 64)])
    assert live.push(headers, [consent_record(), check_record(payload)]).status_code == 200
    r = requests.get(f"{live.server.base_url}/h/{payload['check_id']}", timeout=TIMEOUT_S)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store" and r.headers["x-robots-tag"] == "noindex"
    page = r.text
    for text in ("王*国", "2026-03-05 10:30", "165/102 mmHg", "中度偏高（2级）", "Moderately high (grade 2)",
                 "88 %", "偏低", "64 次/分 bpm", "社区医生会跟进"):
        assert text in page, text
    assert "王建国" not in page and "R-000001" not in page and "13800000001" not in page


def test_a_normal_check_page_does_not_mention_a_follow_up(live):
    _, headers = live.enroll()
    payload = check_payload([bp(118, 76, 70)])
    live.push(headers, [consent_record(), check_record(payload)])
    page = requests.get(f"{live.server.base_url}/h/{payload['check_id']}", timeout=TIMEOUT_S).text
    assert "118/76 mmHg" in page and "正常" in page and "跟进" not in page


def test_unknown_or_malformed_ids_are_not_found(live):
    _, headers = live.enroll()
    payload = check_payload([bp()])
    live.push(headers, [consent_record(), check_record(payload)])
    for check_id in (new_check_id(), payload["check_id"].lower(), payload["check_id"][:-1], "1", "%00",
                     payload["check_id"] + "A"):
        r = requests.get(f"{live.server.base_url}/h/{check_id}", timeout=TIMEOUT_S)
        assert r.status_code == 404, check_id
        assert "王" not in r.text


def test_the_page_is_gone_once_the_resident_withdraws_consent(live):
    _, headers = live.enroll()
    payload = check_payload([bp()])
    live.push(headers, [consent_record(), check_record(payload)])
    url = f"{live.server.base_url}/h/{payload['check_id']}"
    assert requests.get(url, timeout=TIMEOUT_S).status_code == 200
    live.push(headers, [consent_record(granted=False)])
    r = requests.get(url, timeout=TIMEOUT_S)
    assert r.status_code == 404 and "王" not in r.text
