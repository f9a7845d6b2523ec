"""seed-demo: one sub-district, 3 communities, 60 residents aged 60-95 in families, 14 days of menus."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from server.cli import main
from server.db import make_engine, make_sessionmaker
from server.models import Activity, Community, Family, Menu, Resident, SigningKey, Staff
from server.residents import age_on


def test_seed_demo_fills_the_expected_counts_and_refuses_a_second_run(sqlite_url, capsys):
    assert main(["seed-demo", "--db", sqlite_url, "--seed", "7"]) == 0
    engine = make_engine(sqlite_url)
    try:
        with make_sessionmaker(engine)() as s:
            assert [c.name for c in s.scalars(select(Community).order_by(Community.id))] == \
                ["葛巷社区", "朱庙社区", "万和社区"]
            residents = list(s.scalars(select(Resident)))
            assert len(residents) == 60
            today = date.today()
            assert all(60 <= age_on(r.birth_date, today) <= 95 for r in residents)
            assert all(r.family_id for r in residents)
            families = Counter(r.family_id for r in residents)
            assert max(families.values()) >= 2 and s.scalar(select(func.count()).select_from(Family)) == len(families)
            assert all(2 <= len(r.name) <= 4 for r in residents)
            per_community = Counter((m.community_id, m.meal) for m in s.scalars(select(Menu)))
            assert per_community == {(c, meal): 14 for c in ("C-01", "C-02", "C-03") for meal in ("lunch", "dinner")}
            menu = s.scalars(select(Menu)).first()
            assert menu.capacity == 150 and len(menu.dishes) == 4
            assert all({"name", "allergens", "tags"} <= set(d) for d in menu.dishes)
            assert s.scalar(select(func.count()).select_from(Activity)) >= 3
            roles = Counter(st.role for st in s.scalars(select(Staff)))
            assert roles["staff"] >= 3 and roles["technician"] >= 1
            assert s.scalar(select(func.count()).select_from(SigningKey)) == 1
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["seed-demo", "--db", sqlite_url]) == 1
    assert "already" in capsys.readouterr().err
    assert main(["seed-demo", "--if-empty", "--db", sqlite_url]) == 0  # kiosk demo's every start
    assert capsys.readouterr().out.strip() == "already seeded"


def test_seed_demo_gives_opening_balances_through_the_ledger(sqlite_url, capsys):
    assert main(["seed-demo", "--db", sqlite_url]) == 0
    assert "opening_awards=60" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "points", "balance", "R-000001"]) == 0
    assert int(capsys.readouterr().out.strip()) >= 200
