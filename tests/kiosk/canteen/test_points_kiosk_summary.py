"""My points on the kiosk: activity check-in (online and offline, once), history in plain words, family,
earning rules and the opt-in building leaderboard, all against the real server."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.canteen.booking import book
from kiosk.canteen.errors import CanteenError
from kiosk.canteen.offline import prepare_offline
from kiosk.i18n import set_language
from kiosk.points import summary
from kiosk.points.checkin import check_in
from support.canteen_world import ELDER, LOCAL, balance_of, server_session, tomorrow


@pytest.fixture
def code(world):
    from server.canteen import activities
    from server.canteen.config import DEFAULT_EARNING_RULES, EARNING_RULES
    from server.kiosk_config import set_setting
    from server.models import Activity, Building, Resident, Unit

    with server_session(world.db_url) as s:
        s.add(Building(id="C-01-B01", community_id="C-01", name="1幢"))
        s.flush()
        s.add(Unit(id="C-01-B01-0101", building_id="C-01-B01", name="101室"))
        s.flush()
        for rid in ("R-000001", ELDER):
            s.get(Resident, rid).unit_id = "C-01-B01-0101"
        s.add(Activity(id="A-0001", name="太极拳晨练", community_id="C-01", starts_at=datetime.now(LOCAL),
                       leader_id=None, capacity=30, cost_points=0))
        s.flush()
        set_setting(s, EARNING_RULES, DEFAULT_EARNING_RULES, now=datetime.now(LOCAL))
        return activities.make_checkin_code(s, "A-0001", points=20, now=datetime.now(LOCAL))


def test_a_check_in_adds_points_once_online_and_offline(world, code):
    a, b = world.kiosk("a"), world.kiosk("b")
    first = check_in(a.link, code, a.resident(ELDER))
    assert (first.activity_title, first.points, first.already, first.pending) == ("太极拳晨练", 20, False, False)
    assert check_in(a.link, code, a.resident(ELDER)).already is True
    assert balance_of(world.db_url, ELDER) == 1020
    offline = check_in(b.offline(), code, b.resident("R-000001"))
    assert (offline.activity_title, offline.points, offline.already, offline.pending) == ("太极拳晨练", 20, False, True)
    assert check_in(b.offline(), code, b.resident("R-000001")).already is True
    assert check_in(a.offline(), code, a.resident("R-000001")).pending is True  # another kiosk, also offline
    b.sync()
    a.sync()
    assert balance_of(world.db_url, "R-000001") == 1020  # two offline check-ins, one award
    assert check_in(a.link, code, a.resident("R-000001")).already is True


def test_forged_and_foreign_codes_are_refused_online_and_offline(world, code):
    k = world.kiosk()
    tampered = code.replace(":20:", ":90:")
    for link in (k.link, k.offline()):
        with pytest.raises(CanteenError) as info:
            check_in(link, tampered, k.resident(ELDER))
        assert info.value.key == "points.checkin_invalid"
    with pytest.raises(CanteenError):
        check_in(k.offline(), "KT1:not:an:activity", k.resident(ELDER))
    assert balance_of(world.db_url, ELDER) == 1000


def test_history_says_in_plain_words_what_where_and_when(world, code):
    k = world.kiosk()
    elder = k.resident(ELDER)
    check_in(k.link, code, elder)
    book(k.link, menu=k.menu(tomorrow(), "lunch"), payer=elder, beneficiary=elder, payment="points")
    prepare_offline(k.link, resident=elder)
    book(k.offline(), menu=k.menu(tomorrow(), "dinner"), payer=elder, beneficiary=elder, payment="points")
    lines = summary.history(k.link, ELDER)
    assert [(e.what, e.where, e.delta, e.pending) for e in lines[:3]] == [
        ("食堂用餐", "", -62, True),  # booked offline here, not confirmed yet
        ("食堂用餐", "葛巷社区食堂", -80, False),
        ("活动签到", "太极拳晨练", 20, False),
    ]
    assert lines[1].when.tzinfo is not None
    set_language("en")
    with k.db.session() as s:
        english = summary.history(s, ELDER)
    assert [(e.what, e.where) for e in english[:3]] == [
        ("Canteen meal", ""), ("Canteen meal", "葛巷社区 canteen"), ("Activity check-in", "太极拳晨练")]
    with k.db.session() as s:
        # 1000 + 20 - 80 = 940 on the server, 300 of it moved here, 62 of that spent offline
        assert summary.balance(s, ELDER) == 940 - 300 + (300 - 62)


def test_family_view_rules_and_the_opt_in_leaderboard(world, code):
    k = world.kiosk()
    check_in(k.link, code, k.resident(ELDER))
    k.sync()
    with k.db.session() as s:
        family = summary.family_view(s, k.resident("R-000001"))
        assert [(r.resident_id, bal) for r, bal in family] == [("R-000001", 1000), ("R-000002", 1000)]
        rules = summary.earning_rules(s)
        assert rules[0].points == 20 and rules[0].text() == "参加社区活动，扫活动签到码"
        assert summary.leaderboard(s, "C-01-B01") == []
    set_language("en")
    assert rules[0].text() == "Join a community activity and scan its check-in code"
    summary.refresh_profile(k.link, ELDER)
    with k.db.session() as s:
        assert summary.building_of(s, ELDER) == "C-01-B01" and summary.leaderboard_opt_in(s, ELDER) is False
    summary.set_leaderboard_opt_in(k.link, ELDER, True)
    k.sync()
    with k.db.session() as s:
        assert summary.leaderboard_opt_in(s, ELDER) is True
        assert summary.leaderboard(s, "C-01-B01") == [("赵*英", 1020)]
