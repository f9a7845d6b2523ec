"""seed-demo fills the request catalog and place map and sends both to kiosks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kiosk.protocol import ChangeKind
from server.changes import ChangeRow
from server.cli import main
from server.db import make_engine, make_sessionmaker
from server.models.service_requests import RequestCategory, RequestPlace
from server.requests.catalog import place_path

ICONS = Path(__file__).resolve().parents[3] / "assets" / "icons"
ISSUE_CATEGORIES = {"repair", "public_facilities", "environment", "noise", "parking", "safety_hazard",
                    "neighbour_dispute", "property_service", "elderly_help", "suggestion"}


def test_seed_demo_fills_ten_categories_with_icons_and_phrases_in_both_languages(sqlite_url, capsys):
    assert main(["seed-demo", "--db", sqlite_url]) == 0
    assert "request_categories=10" in capsys.readouterr().out
    engine = make_engine(sqlite_url)
    try:
        with make_sessionmaker(engine)() as s:
            cats = s.scalars(select(RequestCategory).order_by(RequestCategory.sort)).all()
            assert {c.code for c in cats} == ISSUE_CATEGORIES
            assert [c.code for c in cats if c.safety_hazard] == ["safety_hazard"]
            for cat in cats:
                assert cat.zh and cat.en and (ICONS / f"{cat.icon}.svg").is_file()
                assert len(cat.phrases) >= 3 and all(p["zh"] and p["en"] and p["code"] for p in cat.phrases)
            feed = s.scalars(select(ChangeRow).where(ChangeRow.kind == ChangeKind.REQUEST_CATEGORY.value)).all()
            assert {c.key for c in feed} == ISSUE_CATEGORIES and all(c.audience_kiosk_id is None for c in feed)
    finally:
        engine.dispose()


def test_seed_demo_builds_the_place_map_from_the_register_with_public_places(sqlite_url, capsys):
    assert main(["seed-demo", "--db", sqlite_url]) == 0
    capsys.readouterr()
    engine = make_engine(sqlite_url)
    try:
        with make_sessionmaker(engine)() as s:
            kinds = [p.kind for p in s.scalars(select(RequestPlace))]
            assert kinds.count("community") == 3 and kinds.count("building") == 12
            assert kinds.count("unit") == 12 and kinds.count("room") == 72 and kinds.count("public") == 21
            assert place_path(s, "C-01-B03-0301") == "葛巷社区 3幢 1单元 301室"
            assert place_path(s, "C-01-B03-0301", "en") == "Gexiang Community, Building 3, Unit 1, Room 301"
            assert place_path(s, "C-02-P-FIRE_LANE", "en") == "Zhumiao Community, Fire lane"
            maps = {c.key: c.data["community"] for c in s.scalars(
                select(ChangeRow).where(ChangeRow.kind == ChangeKind.REQUEST_PLACES.value))}
            assert set(maps) == {"C-01", "C-02", "C-03"}
            tree = maps["C-01"]
            assert [c["kind"] for c in tree["children"]] == ["building"] * 4 + ["public"] * 7
            room = tree["children"][2]["children"][0]["children"][0]
            assert (room["code"], room["zh"], room["kind"]) == ("C-01-B03-0101", "101室", "room")
    finally:
        engine.dispose()
