"""The help desk end to end over the real server: sign in, find a resident, award points, answer a help call."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.help_calls import open_calls
from server.db import utc_now
from server.ops.staff import DEMO_PIN, set_pin
from support.ops_world import on_server, ops_kiosk
from support.staff_ui_world import MonoClock, sign_in, staff_window, wait_for_button
from support.sync_fixtures import live, live_db_url, seed  # noqa: F401 - fixtures
from support.tech_ui_world import click, find


@pytest.fixture
def desk(qtbot, tmp_path, live, seed):  # noqa: F811 - fixtures
    on_server(live.db_url, lambda s: set_pin(s, "S-0001", DEMO_PIN, now=utc_now()))
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "葛巷大厅") as runtime:
        runtime.sync.relay.step()  # pulls the staff directory (with the PIN hash), residents and keys
        clock = MonoClock()
        with staff_window(qtbot, runtime, clock) as win:
            yield win, runtime, clock


def _server(db_url: str, fn):  # noqa: ANN001, ANN202
    return on_server(db_url, fn)


def _awards(session, resident_id: str) -> list[tuple]:  # noqa: ANN001
    from sqlalchemy import select

    from server.ledger.models import LedgerTx

    rows = session.scalars(select(LedgerTx).where(LedgerTx.resident_id == resident_id, LedgerTx.kind == "award"))
    return [(t.amount, t.operator_kind, t.operator_id, t.category, t.reason, t.hours) for t in rows]


def test_staff_sign_in_find_a_resident_by_phone_award_thirty_points_and_answer_a_help_call(qtbot, desk, live):
    win, runtime, _clock = desk
    # A resident at the home screen asks for help.
    win.navigate("call_staff")
    calling = win.screens.current
    qtbot.waitUntil(lambda: calling.state == "raised", timeout=10_000)
    win.navigate("home")

    sign_in(qtbot, win)
    operator = win.ctx.session.operator
    assert (operator.operator_id, operator.role, operator.display_name) == ("S-0001", "staff", "周*燕")
    home = win.screens.current
    qtbot.waitUntil(lambda: home.open_calls == 1, timeout=10_000)
    assert "居民呼叫（1）" in find(win, QPushButton, "staffHome_staff_calls").text()
    assert not find(win, QPushButton, "staffHome_staff_award").isEnabled()  # nobody to award yet

    # Find the resident by the last 4 digits of the phone, over the server.
    click(qtbot, win, "staffHome_staff_lookup")
    lookup = win.screens.current
    for digit in "0001":
        click(qtbot, win, f"staffLookupKey_{digit}")
    click(qtbot, win, "staffLookupSearch")
    qtbot.waitUntil(lambda: lookup.state == "results", timeout=10_000)
    wait_for_button(qtbot, win, "staffLookupResult_R-000001")
    assert "王*国" in find(win, QPushButton, "staffLookupResult_R-000001").text()
    click(qtbot, win, "staffLookupResult_R-000001")
    assert win.screens.current is home and home.state == "serving"
    assert win.ctx.session.resident.resident_id == "R-000001"
    assert "王*国" in home.serving.text()

    # Award 3 hours of patrol in governance: 30 points, queued with the staff id, then on the ledger.
    click(qtbot, win, "staffHome_staff_award")
    award = win.screens.current
    click(qtbot, win, "staffAwardReason_patrol")
    click(qtbot, win, "staffAwardDimension_governance")
    for _ in range(4):
        click(qtbot, win, "staffAwardMore")  # 1 h -> 3 h
    assert award.points_value.text().endswith("30 积分")
    click(qtbot, win, "staffAwardSubmit")
    qtbot.waitUntil(lambda: award.state == "done", timeout=10_000)
    assert "30" in award.status.text() and "王*国" in award.status.text()
    assert not award.award_button.isEnabled()  # a second award is chosen afresh
    runtime.sync.relay.step()
    assert _server(live.db_url, lambda s: _awards(s, "R-000001")) == [
        (30, "staff", "S-0001", "governance", "patrol", 3.0)]

    # The help call raised at home: "I am on my way" closes it for everyone, with the staff id.
    click(qtbot, win, "staffAwardBack")
    click(qtbot, win, "staffHome_staff_calls")
    calls = win.screens.current
    with runtime.database.session() as s:
        [call] = open_calls(s)
    wait_for_button(qtbot, win, f"staffCallGo_{call.call_id}")
    assert "本机" in calls.findChild(type(calls.status), f"staffCallText_{call.call_id}").text()
    click(qtbot, win, f"staffCallGo_{call.call_id}")
    qtbot.waitUntil(lambda: calls.state == "empty", timeout=10_000)
    with runtime.database.session() as s:
        assert open_calls(s) == []
    runtime.sync.relay.step()
    from server.ops.models import HelpCall

    server_call = _server(live.db_url, lambda s: s.get(HelpCall, call.call_id))
    assert (server_call.status, server_call.closed_by) == ("done", "staff:S-0001")

    # Signing out forgets the staff member and the resident.
    click(qtbot, win, "staffCallsBack")
    click(qtbot, win, "staffHomeSignOut")
    assert win.screens.current.name == "home"
    assert win.ctx.session.operator is None and win.ctx.session.resident is None
    win.navigate("staff_award")
    assert win.screens.current.name == "staff_signin"
