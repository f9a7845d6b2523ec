"""The changes feed: cursor paging, ``more``, per-kiosk audience and masked resident entries."""

from __future__ import annotations

from server.cli import main


def test_paging_with_the_cursor_returns_every_change_once_in_order(live):
    _, headers = live.enroll()
    for i in range(7):
        assert main(["config", "set", f"k{i}", str(i), "--db", live.db_url]) == 0
    seen, cursor = [], 0
    while True:
        page = live.changes(headers, cursor, limit=3)
        seen += [c["seq"] for c in page["changes"]]
        assert len(page["changes"]) <= 3
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert seen == sorted(set(seen)) and len(seen) >= 3 + 1 + 7  # residents, key, settings
    assert live.changes(headers, cursor) == {"changes": [], "cursor": cursor, "more": False}


def test_more_is_true_exactly_when_a_page_is_full(live):
    _, headers = live.enroll()
    total = len(live.changes(headers)["changes"])
    assert live.changes(headers, 0, limit=total)["more"] is True
    assert live.changes(headers, 0, limit=total + 1)["more"] is False


def test_a_kiosk_setting_reaches_only_that_kiosk_and_global_ones_reach_all(live):
    a, ha = live.enroll()
    b, hb = live.enroll()
    assert main(["config", "set", "voice.rate", "0.8", "--kiosk", a, "--db", live.db_url]) == 0
    assert main(["config", "set", "ui.lang", "zh_CN", "--db", live.db_url]) == 0

    def configs(headers):  # noqa: ANN001, ANN202
        return [c["data"] for c in live.changes(headers)["changes"] if c["kind"] == "kiosk_config"]

    assert configs(ha) == [{"scope": a, "settings": {"voice.rate": 0.8}},
                           {"scope": "global", "settings": {"ui.lang": "zh_CN"}}]
    assert configs(hb) == [{"scope": "global", "settings": {"ui.lang": "zh_CN"}}]


def test_resident_entries_carry_a_masked_name_and_birth_year_never_the_phone(live):
    _, headers = live.enroll()
    entries = {c["key"]: c["data"] for c in live.changes(headers)["changes"] if c["kind"] == "resident"}
    assert entries["R-000001"]["masked_name"] == "王*国"
    assert set(entries["R-000001"]) == {"resident_id", "masked_name", "birth_year", "family_id", "community_id"}
    assert entries["R-000001"]["family_id"] == entries["R-000002"]["family_id"] == "F-0001"
    assert "13800000001" not in str(entries)


def test_the_signing_key_is_published_with_its_public_half_only(live):
    _, headers = live.enroll()
    keys = [c["data"] for c in live.changes(headers)["changes"] if c["kind"] == "public_key"]
    assert [k["kid"] for k in keys] == [live.seed["kid"]]
    assert set(keys[0]) == {"kid", "public_key", "not_after"}


def test_a_bad_cursor_or_limit_is_request_invalid(live):
    import requests

    _, headers = live.enroll()
    for params in ({"cursor": -1}, {"limit": 0}, {"limit": 100000}, {"cursor": "x"}):
        r = requests.get(live.base + "/sync/changes", params=params, headers=headers, timeout=5)
        assert r.status_code == 422 and r.json()["error"]["code"] == "request.invalid", params
