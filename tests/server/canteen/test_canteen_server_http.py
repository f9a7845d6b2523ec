"""The canteen and points HTTP routes on a live server, and the ``canteen`` / ``activity`` CLI commands."""

from __future__ import annotations

import uuid
from datetime import timedelta

import requests

from kiosk.protocol import ChangeKind
from server.canteen.config import cutoff_of
from server.cli import main
from server.models import Menu
from support.canteen_world import ELDER, seed_canteen, server_session, tomorrow
from tests.server.server_helpers import TIMEOUT_S, record


def _post(live, headers, path, body):
    return requests.post(live.base + path, json=body, headers=headers, timeout=TIMEOUT_S)


def _booking(world, who=ELDER, price=80, booking_id=None):
    return {"booking_id": booking_id or uuid.uuid4().hex.upper(), "menu_id": world["menus"][(tomorrow(), "lunch")],
            "payer_id": who, "beneficiary_id": who, "payment": "points", "quoted_points": price}


def test_a_booking_retried_with_its_key_is_answered_the_same_and_charged_once(live):
    world = seed_canteen(live.db_url)
    _, headers = live.enroll()
    body = {"key": str(uuid.uuid4()), "booking": _booking(world)}
    first = _post(live, headers, "/canteen/bookings", body)
    again = _post(live, headers, "/canteen/bookings", body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["balance"] == 920
    same_booking_new_key = _post(live, headers, "/canteen/bookings", {**body, "key": str(uuid.uuid4())})
    assert same_booking_new_key.json()["booking"]["booking_id"] == body["booking"]["booking_id"]
    assert same_booking_new_key.json()["balance"] == 920
    reused = _post(live, headers, "/canteen/bookings", {**body, "booking": {**body["booking"], "quoted_points": 81}})
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "sync.key_reused"


def test_cancel_over_http_returns_the_points_until_the_server_clock_passes_the_cut_off(live):
    world = seed_canteen(live.db_url)
    _, headers = live.enroll()
    first = _post(live, headers, "/canteen/bookings", {"key": str(uuid.uuid4()), "booking": _booking(world)}).json()
    cancel = _post(live, headers, f"/canteen/bookings/{first['booking']['booking_id']}/cancel", {"key": str(uuid.uuid4())})
    assert cancel.json()["returned_points"] == 80 and cancel.json()["balance"] == 1000
    second = _post(live, headers, "/canteen/bookings", {"key": str(uuid.uuid4()), "booking": _booking(world)}).json()
    with server_session(live.db_url) as s:
        cutoff = cutoff_of(s.get(Menu, world["menus"][(tomorrow(), "lunch")]))
    live.clock.offset = cutoff - live.clock() + timedelta(seconds=5)
    late = _post(live, headers, f"/canteen/bookings/{second['booking']['booking_id']}/cancel", {"key": str(uuid.uuid4())})
    assert late.json()["error"] == {"code": "canteen.cancel_after_cutoff", "detail": "", "params": {"cutoff": "09:30"}}


def test_counter_seat_hold_ticket_key_and_profile_routes_answer_and_need_a_kiosk(live):
    world = seed_canteen(live.db_url, counters=2)
    kiosk_id, headers = live.enroll()
    booked = _post(live, headers, "/canteen/bookings", {"key": str(uuid.uuid4()), "booking": _booking(world)}).json()
    scan = {"key": str(uuid.uuid4()), "payload": booked["booking"]["ticket"], "counter_id": "1",
            "day": tomorrow().isoformat(), "meal": "lunch"}
    assert _post(live, headers, "/canteen/redeem", scan).json()["outcome"] == "served"
    assert _post(live, headers, "/canteen/redeem", {**scan, "key": str(uuid.uuid4())}).json()["outcome"] == "already_served"
    holds = _post(live, headers, "/canteen/seat-holds", {"menu_ids": list(world["menus"].values()), "seats": 2}).json()
    assert sorted(h["seats"] for h in holds["holds"]) == [2, 2]
    claim = _post(live, headers, "/canteen/counters/claim", {"day": tomorrow().isoformat(), "counter_nos": [2],
                                                             "counter_id": "2"}).json()
    assert claim["held"] == [2] and claim["counters"] == 2
    key = {"kid": f"T-{kiosk_id}-A", "public_key": "A" * 43 + "="}
    assert _post(live, headers, "/canteen/ticket-keys", key).status_code == 200
    assert _post(live, headers, "/canteen/ticket-keys", {**key, "public_key": "B" * 43 + "="}).status_code == 409
    profile = requests.get(live.base + f"/points/residents/{ELDER}", headers=headers, timeout=TIMEOUT_S).json()
    assert profile["balance"] == 920 and profile["history"][0]["points"] == -80
    assert requests.get(live.base + "/points/residents/R-NOBODY", headers=headers, timeout=TIMEOUT_S).status_code == 404
    assert _post(live, {}, "/canteen/seat-holds", {"menu_ids": [], "seats": 1}).status_code == 401
    kinds = {c["kind"] for c in live.changes(headers)["changes"]}
    assert {ChangeKind.CANTEEN_BOOKING, ChangeKind.CANTEEN_SEATS, ChangeKind.TICKET_KEY} <= kinds


def test_outbox_records_of_the_canteen_are_applied_once_and_malformed_ones_rejected(live):
    world = seed_canteen(live.db_url)
    _, headers = live.enroll()
    opt = record("points.leaderboard_opt_in", {"resident_id": ELDER, "opt_in": True})
    bad = record("canteen.book", {"booking_id": "nope"})
    results = live.push(headers, [opt, opt, bad]).json()["results"]
    assert [r["outcome"] for r in results] == ["applied", "replayed", "rejected"]
    assert results[2]["error"]["code"] == "request.invalid"
    assert world["menus"]


def test_the_cli_lists_reports_marks_no_shows_and_makes_activity_codes(live, capsys, tmp_path):
    world = seed_canteen(live.db_url)
    _, headers = live.enroll()
    _post(live, headers, "/canteen/bookings", {"key": str(uuid.uuid4()), "booking": _booking(world)})
    db = ["--db", live.db_url]
    day = tomorrow().isoformat()
    assert main(["canteen", "bookings", "--day", day, *db]) == 0
    out = capsys.readouterr().out
    assert "赵*英" in out and "赵桂英" not in out and "booked" in out
    assert main(["canteen", "report", "--day", day, *db]) == 0
    assert "booked 1" in capsys.readouterr().out
    assert main(["canteen", "set-counters", "2", *db]) == 0 and "canteen.counters=2" in capsys.readouterr().out
    assert main(["canteen", "no-shows", *db]) == 0 and capsys.readouterr().out.strip() == "0"
    assert main(["canteen", "release-counter", "--community", "C-01", "--day", day, "--counter-no", "1", *db]) == 0
    assert main(["canteen", "tiers", *db]) == 0 and '"subsidy_points": 10' in capsys.readouterr().out
    with server_session(live.db_url) as s:
        from datetime import datetime

        from server.models import Activity

        s.add(Activity(id="A-0009", name="书法兴趣班", community_id="C-01", starts_at=datetime.now().astimezone(),
                       leader_id=None, capacity=20, cost_points=0))
    png = tmp_path / "qr.png"
    assert main(["activity", "qr", "A-0009", "--points", "15", "--png", str(png), *db]) == 0
    assert capsys.readouterr().out.strip().startswith("KA1:") and png.stat().st_size > 0
    assert main(["activity", "qr", "A-NONE", *db]) == 1
    assert main(["activity", "publish-rules", *db]) == 0 and capsys.readouterr().out.strip() == "6"
    assert main(["activity", "publish-boards", *db]) == 0
    assert main(["activity", "list", *db]) == 0 and "A-0009" in capsys.readouterr().out
