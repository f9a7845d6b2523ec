"""The demo seed: one sub-district, 3 communities, 60 residents in families, staff, menus, activities."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server import demo_data as d
from server.changes import record_change
from server.identity_admin import active_key, create_signing_key
from server.kiosk_config import set_setting
from server.models import Activity, Building, Community, Menu, Resident, SubDistrict, Unit
from server.residents import add_resident, add_staff

DEMO_RESIDENTS = 60
DEMO_MENU_DAYS = 14
MIN_AGE, MAX_AGE = 60, 95


class AlreadySeeded(RuntimeError):
    """The database already holds the demo sub-district."""


def _birth_date(rng: random.Random, today: date) -> date:
    """A birth date giving an age in MIN_AGE..MAX_AGE today."""
    age = rng.randint(MIN_AGE, MAX_AGE)
    latest = date(today.year - age, today.month, min(today.day, 28))
    return latest - timedelta(days=rng.randint(0, 330))


def _places(session: Session) -> dict[str, list[str]]:
    sd_id, sd_name = d.SUB_DISTRICT
    session.add(SubDistrict(id=sd_id, name=sd_name))
    session.flush()
    units: dict[str, list[str]] = {}
    for cid, cname in d.COMMUNITIES:
        session.add(Community(id=cid, sub_district_id=sd_id, name=cname))
        session.flush()
        units[cid] = []
        for b in range(1, d.BUILDINGS_PER_COMMUNITY + 1):
            bid = f"{cid}-B{b:02d}"
            session.add(Building(id=bid, community_id=cid, name=f"{b}幢"))
            session.flush()
            for floor in range(1, d.UNITS_PER_BUILDING + 1):
                uid = f"{bid}-{floor:02d}01"
                session.add(Unit(id=uid, building_id=bid, name=f"{floor}01室"))
                units[cid].append(uid)
    session.flush()
    return units


def _residents(session: Session, rng: random.Random, units: dict[str, list[str]], today: date) -> list[Resident]:
    residents: list[Resident] = []
    communities = [cid for cid, _ in d.COMMUNITIES]
    family_no = 0
    while len(residents) < DEMO_RESIDENTS:
        family_no += 1
        cid = communities[family_no % len(communities)]
        unit = units[cid][(family_no // len(communities)) % len(units[cid])]
        size = min(rng.choice((1, 2, 2, 2, 3)), DEMO_RESIDENTS - len(residents))
        family_id = f"F-{family_no:04d}"
        surname = rng.choice(d.SURNAMES)
        for member in range(size):
            female = member % 2 == 1 if size > 1 else rng.random() < 0.6
            given = rng.choice(d.GIVEN_FEMALE if female else d.GIVEN_MALE)
            name = (rng.choice(d.SURNAMES) if member == 1 else surname) + given
            roles = ["resident"] + [r for r, p in (("volunteer", 0.3), ("talent", 0.1)) if rng.random() < p]
            residents.append(add_resident(
                session, name=name, birth_date=_birth_date(rng, today), community_id=cid, unit_id=unit,
                phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}", family_id=family_id, roles=roles,
                resident_id=f"R-{len(residents) + 1:06d}",
            ))
    return residents


def _menus(session: Session, rng: random.Random, today: date) -> int:
    count = 0
    for cid, _ in d.COMMUNITIES:
        for offset in range(DEMO_MENU_DAYS):
            day = today + timedelta(days=offset)
            for meal in ("lunch", "dinner"):
                dishes = [{"name": n, "allergens": a, "tags": t} for n, a, t in rng.sample(d.DISHES, 4)]
                hh, mm = map(int, d.MEAL_CUTOFF[meal].split(":"))
                menu = Menu(community_id=cid, day=day, meal=meal, dishes=dishes, capacity=d.MENU_CAPACITY,
                            base_price_points=d.MEAL_PRICES_POINTS[meal], cutoff_time=time(hh, mm))
                session.add(menu)
                session.flush()
                record_change(session, ChangeKind.MENU, f"{cid}:{day.isoformat()}:{meal}", menu.feed_data())
                count += 1
    return count


def _activities(session: Session, rng: random.Random, residents: list[Resident], now: datetime) -> int:
    count = 0
    for cid, _ in d.COMMUNITIES:
        locals_ = [r for r in residents if r.community_id == cid]
        for name, capacity, cost in d.ACTIVITIES[: 2 + (count % 3)]:
            count += 1
            leader = rng.choice(locals_)
            start = (now + timedelta(days=rng.randint(1, 13))).replace(hour=1 + rng.randint(0, 7), minute=0,
                                                                          second=0, microsecond=0)
            session.add(Activity(id=f"A-{count:04d}", name=name, community_id=cid, starts_at=start,
                                 leader_id=leader.id, capacity=capacity, cost_points=cost))
    session.flush()
    return count


def _opening_balances(session: Session, rng: random.Random, residents: list[Resident]) -> int:
    """Award opening points through the ledger when it is installed; returns how many awards."""
    try:
        from server.ledger.movements import award
    except ModuleNotFoundError:
        return 0
    dimensions = ("harmony", "civility", "governance", "integrity", "future")
    for r in residents:
        award(session, r.id, rng.randrange(200, 1501, 10), rng.choice(dimensions), "opening_balance",
              "system", None, key=f"seed-demo-opening-{r.id}")
    return len(residents)


def seed_demo(session: Session, *, seed: int = 1, now: datetime, today: date | None = None) -> dict[str, Any]:
    """Fill an empty (migrated) database with the demo data in the caller's transaction.

    Deterministic for a given ``seed``. Raises AlreadySeeded when the demo sub-district exists.
    Returns counts by kind.
    """
    if session.get(SubDistrict, d.SUB_DISTRICT[0]) is not None:
        raise AlreadySeeded("the demo data is already there")
    rng = random.Random(seed)
    today = today or now.date()
    units = _places(session)
    residents = _residents(session, rng, units, today)
    staff = 0
    for i, (cid, _) in enumerate(d.COMMUNITIES):
        for name in d.STAFF_NAMES[2 * i: 2 * i + 2]:
            staff += 1
            add_staff(session, name=name, community_id=cid, staff_id=f"S-{staff:04d}")
    staff += 1
    add_staff(session, name=d.TECHNICIAN_NAME, community_id=d.COMMUNITIES[0][0], role="technician",
              staff_id=f"S-{staff:04d}")
    menus = _menus(session, rng, today)
    activities = _activities(session, rng, residents, now)
    if active_key(session) is None:
        create_signing_key(session, now=now)
    set_setting(session, "canteen.age_discounts", d.AGE_DISCOUNTS, now=now)
    awards = _opening_balances(session, rng, residents)
    from server.requests.catalog import seed_catalog

    request_catalog = seed_catalog(session, now=now)  # issue #6: categories and place map
    from server.canteen.demo import seed_canteen

    canteen = seed_canteen(session, now=now)  # issue #7: counters, earning rules, check-ins, boards
    from server.ops.staff import seed_demo_pins

    staff_pins = seed_demo_pins(session, now=now)  # issue #8: demo staff/technician PIN 246810, sent to kiosks
    return {
        "communities": len(d.COMMUNITIES), "units": sum(len(u) for u in units.values()),
        "residents": len(residents), "families": len({r.family_id for r in residents}), "staff": staff,
        "menus": menus, "activities": activities, "opening_awards": awards,
        **request_catalog,
        **canteen,
        **staff_pins,
        "resident_rows": session.scalar(select(func.count()).select_from(Resident)),
    }
