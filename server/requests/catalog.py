"""The request category catalog and the place map, kept in tables and published to kiosks as changes.

Categories go out as REQUEST_CATEGORY changes (one per category, to every kiosk); the place map
as one REQUEST_PLACES change per community: community > buildings > units (单元) > rooms, then
the community's public places. The map is built from the resident register's places
(communities, buildings, households) so a room code is the household's unit id.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server.changes import record_change
from server.models import Building, Community, Unit
from server.models.service_requests import RequestCategory, RequestPlace
from server.requests import catalog_data as data

PLACE_KINDS = ("community", "building", "unit", "room", "public")
SAFETY_HAZARD = "safety_hazard"
_NUMBERED = (re.compile(r"^(\d+)幢$"), re.compile(r"^(\d+)单元$"), re.compile(r"^(\d+)室$"))
_EN_NUMBERED = ("Building {}", "Unit {}", "Room {}")


def _en_name(zh: str) -> str:
    for pattern, template in zip(_NUMBERED, _EN_NUMBERED):
        if m := pattern.match(zh):
            return template.format(m.group(1))
    return data.COMMUNITY_EN.get(zh, zh)


def category_data(cat: RequestCategory) -> dict[str, Any]:
    return {"code": cat.code, "zh": cat.zh, "en": cat.en, "icon": cat.icon, "phrases": list(cat.phrases),
            "safety_hazard": cat.safety_hazard, "sort": cat.sort, "active": cat.active}


def publish_category(session: Session, cat: RequestCategory) -> None:
    record_change(session, ChangeKind.REQUEST_CATEGORY, cat.code, category_data(cat))


def upsert_categories(session: Session, *, now: datetime) -> int:
    """Create or update the built-in categories and publish each; returns how many."""
    for sort, (code, zh, en, icon, hazard, agency, phrases) in enumerate(data.CATEGORIES):
        cat = session.get(RequestCategory, code)
        if cat is None:
            cat = RequestCategory(code=code)
            session.add(cat)
        cat.zh, cat.en, cat.icon, cat.safety_hazard, cat.agency, cat.sort, cat.active = (
            zh, en, icon, hazard, agency, sort, True)
        cat.phrases = [{"code": c, "zh": z, "en": e} for c, z, e in phrases]
        cat.updated_at = now
        session.flush()
        publish_category(session, cat)
    return len(data.CATEGORIES)


def categories(session: Session, *, active_only: bool = True) -> list[RequestCategory]:
    query = select(RequestCategory).order_by(RequestCategory.sort, RequestCategory.code)
    if active_only:
        query = query.where(RequestCategory.active.is_(True))
    return list(session.scalars(query))


def is_safety_hazard(session: Session, code: str) -> bool:
    """True for a category flagged as a safety hazard (``safety_hazard`` when not in the catalog)."""
    cat = session.get(RequestCategory, code)
    return cat.safety_hazard if cat is not None else code == SAFETY_HAZARD


def _put_place(session: Session, code: str, parent: str | None, kind: str, zh: str, sort: int) -> None:
    row = session.get(RequestPlace, code)
    if row is None:
        row = RequestPlace(code=code)
        session.add(row)
    row.parent_code, row.kind, row.zh, row.en, row.sort = parent, kind, zh, _en_name(zh), sort


def build_place_map(session: Session) -> int:
    """(Re)build request_places from communities, buildings and households, plus public places.

    The register has no stairwells: every household of a building goes under its "1单元".
    Returns how many places the map holds.
    """
    for c_sort, community in enumerate(session.scalars(select(Community).order_by(Community.id))):
        _put_place(session, community.id, None, "community", community.name, c_sort)
        buildings = session.scalars(select(Building).where(Building.community_id == community.id)
                                    .order_by(Building.id)).all()
        for b_sort, building in enumerate(buildings):
            _put_place(session, building.id, community.id, "building", building.name, b_sort)
            stair = f"{building.id}-U1"
            _put_place(session, stair, building.id, "unit", "1单元", 0)
            units = session.scalars(select(Unit).where(Unit.building_id == building.id).order_by(Unit.id))
            for r_sort, unit in enumerate(units):
                _put_place(session, unit.id, stair, "room", unit.name, r_sort)
        for p_sort, (suffix, zh, en) in enumerate(data.PUBLIC_PLACES):
            code = f"{community.id}-P-{suffix}"
            _put_place(session, code, community.id, "public", zh, len(buildings) + p_sort)
            session.get(RequestPlace, code).en = en
    session.flush()
    return len(session.scalars(select(RequestPlace.code)).all())


def place_tree(session: Session, community_id: str) -> dict[str, Any] | None:
    """The community's place tree as nested dicts (code, zh, en, kind, children), or None."""
    rows = session.scalars(select(RequestPlace).order_by(RequestPlace.sort, RequestPlace.code)).all()
    by_parent: dict[str | None, list[RequestPlace]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_code, []).append(row)
    root = next((r for r in by_parent.get(None, []) if r.code == community_id), None)

    def node(row: RequestPlace) -> dict[str, Any]:
        return {"code": row.code, "zh": row.zh, "en": row.en, "kind": row.kind,
                "children": [node(child) for child in by_parent.get(row.code, [])]}

    return node(root) if root is not None else None


def publish_places(session: Session) -> int:
    """One REQUEST_PLACES change per community (to every kiosk); returns how many."""
    count = 0
    for code in session.scalars(select(RequestPlace.code).where(RequestPlace.parent_code.is_(None))
                                .order_by(RequestPlace.code)):
        tree = place_tree(session, code)
        if tree is not None:
            record_change(session, ChangeKind.REQUEST_PLACES, code, {"community": tree})
            count += 1
    return count


def seed_catalog(session: Session, *, now: datetime) -> dict[str, int]:
    """Fill and publish the categories and the place map (idempotent: run again after changes)."""
    cats = upsert_categories(session, now=now)
    places = build_place_map(session)
    communities = publish_places(session)
    return {"request_categories": cats, "request_places": places, "place_maps": communities}


def place_path(session: Session, code: str, lang: str = "zh") -> str:
    """The place in words from the community down: "葛巷社区 3幢 1单元 301室" ("" if unknown)."""
    parts: list[str] = []
    seen: set[str] = set()
    current = session.get(RequestPlace, code) if code else None
    while current is not None and current.code not in seen:
        seen.add(current.code)
        parts.append(current.en if lang == "en" else current.zh)
        current = session.get(RequestPlace, current.parent_code) if current.parent_code else None
    return (", " if lang == "en" else " ").join(reversed(parts))
