"""My points and activity check-in screens on a kiosk synced with the reference server."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from support.canteen_ui_world import ui_world
from kiosk.canteen.booking import book
from kiosk.i18n import tr
from support.canteen_world import ELDER, LOCAL, balance_of, server_session, tomorrow

HOLDER, MEMBER = "R-000001", "R-000002"  # 王建国 and 李秀英, family F-0001
RULES = [
    {"id": "patrol", "text_zh": "参加消防巡查", "text_en": "Join a fire-safety patrol", "points": 30},
    {"id": "talent", "text_zh": "登记为社区人才（社区确认后）", "text_en": "Register as a community talent", "points": 100},
]


def find(widget, cls, name):
    found = widget.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def click(qtbot, widget, name):
    button = find(widget, QPushButton, name)
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be touched"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rows(window):
    """(amount, words) of every visible row of the points list."""
    out = []
    for i in range(6):
        amount, text = find(window, QLabel, f"pointsRow{i}Amount"), find(window, QLabel, f"pointsRow{i}Text")
        if amount.isVisible():
            out.append((amount.text(), text.text()))
    return out


def open_points(world, qtbot, resident_id=ELDER):
    world.identify(qtbot, resident_id, "points")
    screen = world.screen("points")
    qtbot.waitUntil(lambda: screen.state == "default", timeout=10_000)
    return screen


def _rules_and_a_building(db_url: str) -> None:
    """Earning rules as server configuration; the family lives in building 1, the member shows on its board."""
    from server.canteen import activities
    from server.canteen.config import EARNING_RULES
    from server.kiosk_config import set_setting
    from server.models import Building, Resident, Unit

    with server_session(db_url) as s:
        set_setting(s, EARNING_RULES, RULES, now=datetime.now(LOCAL))
        s.add(Building(id="B-01", community_id="C-01", name="1幢"))
        s.flush()
        s.add(Unit(id="B-01-101", building_id="B-01", name="101"))
        s.flush()
        for rid in (HOLDER, MEMBER):
            s.get(Resident, rid).unit_id = "B-01-101"
        s.flush()
        activities.set_opt_in(s, MEMBER, True, datetime.now(LOCAL))


def test_the_points_tile_asks_for_the_card_then_shows_the_balance_large_and_history_in_plain_words(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        elder = world.side.resident(ELDER)
        book(world.side.link, menu=world.side.menu(tomorrow(), "lunch"), payer=elder, beneficiary=elder,
             payment="points")
        w = world.window
        click(qtbot, w, "tile_points")
        qtbot.waitUntil(lambda: w.screens.current.name == "identify", timeout=5_000)
        assert w.screens.current.purpose == "points" and not w.screens.current.guest_button.isVisible()
        w.screens.current.submit_payload(world.card(ELDER))
        screen = world.screen("points")
        qtbot.waitUntil(lambda: w.screens.current is screen and screen.state == "default", timeout=10_000)
        assert find(w, QLabel, "pointsBalance").text() == "您的积分：920（92.0元）"
        assert find(w, QLabel, "pointsBalance").property("role") == "title"
        listed = rows(w)
        assert listed[0][0] == "-80" and listed[0][1].startswith(tr("Canteen meal"))
        assert "葛巷社区" in listed[0][1]  # where
        assert listed[1][0] == "+1000"
        assert "您的积分：920" in w.ctx.voice.last_prompt.text and "-80" in w.ctx.voice.last_prompt.text
        assert balance_of(world.db_url, ELDER) == 920


def test_family_rules_and_the_opt_in_building_leaderboard(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot, prepare=_rules_and_a_building) as world:
        screen = open_points(world, qtbot, HOLDER)
        w = world.window
        click(qtbot, w, "pointsSection_family")
        assert rows(w) == [("1000", "李*英")]
        click(qtbot, w, "pointsSection_earn")
        assert rows(w) == [("+30", "参加消防巡查"), ("+100", "登记为社区人才（社区确认后）")]
        click(qtbot, w, "pointsSection_leaderboard")
        assert [name for _points, name in rows(w)] == ["李*英"]  # masked; only who chose to show
        assert "您现在没有参加" in find(w, QLabel, "pointsNote").text()
        assert find(w, QPushButton, "pointsOptIn").text() == "在榜上显示我"
        click(qtbot, w, "pointsOptIn")
        qtbot.waitUntil(lambda: screen.opted_in, timeout=10_000)
        assert find(w, QPushButton, "pointsOptIn").text() == "不在榜上显示我"
        world.sync()  # the choice reaches the server, the new board comes back
        from server.canteen.activities import leaderboard

        with server_session(world.db_url) as s:
            board = leaderboard(s, "B-01", datetime.now(LOCAL))
        assert sorted(name for name, _ in board) == ["李*英", "王*国"]
        w.navigate("points", identified=True)
        qtbot.waitUntil(lambda: screen.state == "default", timeout=10_000)
        click(qtbot, w, "pointsSection_leaderboard")
        assert rows(w) == [(str(points), name) for name, points in board]


def test_history_pages_with_more_and_earlier(tmp_path, qtbot):
    def awards(db_url: str) -> None:
        from server.ledger.movements import award

        with server_session(db_url) as s:
            for n in range(6):
                award(s, ELDER, 10 + n, "civility", f"help {n}", "staff", "S-0001", key=f"help-{n}")

    with ui_world(tmp_path, qtbot, prepare=awards) as world:
        screen = open_points(world, qtbot)
        w = world.window
        first = rows(w)
        assert len(first) == screen.page_size() == 4  # at font scale 1.0
        assert [a for a, _ in first] == ["+15", "+14", "+13", "+12"]  # newest first
        click(qtbot, w, "pointsMore")
        assert [a for a, _ in rows(w)] == ["+11", "+10", "+1000"]
        assert not find(w, QPushButton, "pointsMore").isVisible()
        click(qtbot, w, "pointsEarlier")
        assert rows(w) == first


def test_an_activity_check_in_code_adds_points_once_and_a_wrong_code_is_refused(tmp_path, qtbot):
    from server.canteen import activities
    from server.models import Activity

    with ui_world(tmp_path, qtbot) as world:
        with server_session(world.db_url) as s:
            s.add(Activity(id="A-0001", name="智能手机课堂", community_id="C-01", starts_at=datetime.now(LOCAL),
                           leader_id=None, capacity=25, cost_points=0))
            s.flush()
            code = activities.make_checkin_code(s, "A-0001", points=20, now=datetime.now(LOCAL))
        open_points(world, qtbot)
        w = world.window
        click(qtbot, w, "pointsCheckIn")
        checkin = world.screen("points_checkin")
        assert w.screens.current is checkin and checkin.state == "default"
        checkin.submit_payload("not a check-in code")
        qtbot.waitUntil(lambda: checkin.state == "refused", timeout=10_000)
        assert find(w, QLabel, "pointsCheckInStatus").text() == tr("points.checkin_invalid")
        checkin.submit_payload(code)
        qtbot.waitUntil(lambda: checkin.state == "done", timeout=10_000)
        assert find(w, QLabel, "pointsCheckInStatus").text() == "您已签到“智能手机课堂”，加了20积分。谢谢您！"
        assert w.ctx.voice.last_prompt.text == find(w, QLabel, "pointsCheckInStatus").text()
        checkin.submit_payload(code)
        qtbot.waitUntil(lambda: checkin.state == "already", timeout=10_000)
        assert balance_of(world.db_url, ELDER) == 1020  # once
        click(qtbot, w, "pointsCheckInBack")
        screen = world.screen("points")
        qtbot.waitUntil(lambda: screen.state == "default", timeout=10_000)
        assert find(w, QLabel, "pointsBalance").text() == "您的积分：1020（102.0元）"
        assert rows(w)[0][0] == "+20"
