"""Menus from the pulled feed, the price for a resident after their age tier, and gentle diet hints."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, pricing_age, quote_price, yuan_text
from kiosk.residents import Resident
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import ServerCache
from kiosk.sync.pull import settings

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
TIERS_SETTING = "canteen.age_discounts"
COUNTERS_SETTING = "canteen.counters"
COUNTDOWN_FROM_S = 30 * 60  # the spoken countdown starts half an hour before the cut-off
DISH_EN = {  # English names of the dishes the demo canteens cook; others show their Chinese name
    "红烧鱼块": "Braised fish", "清蒸鲈鱼": "Steamed sea bass", "番茄炒蛋": "Tomato and egg",
    "肉末豆腐": "Tofu with minced pork", "清炒时蔬": "Stir-fried greens", "冬瓜排骨汤": "Winter melon rib soup",
    "虾仁蒸蛋": "Steamed egg with shrimp", "香菇青菜": "Mushrooms and greens", "土豆烧鸡块": "Chicken with potato",
    "小米南瓜粥": "Millet pumpkin porridge", "葱油拌面": "Scallion oil noodles", "芹菜香干": "Celery and tofu",
    "红烧狮子头": "Braised meatballs", "紫菜蛋花汤": "Seaweed egg soup", "花生拌菠菜": "Spinach with peanuts",
    "白切鸡": "Poached chicken",
}


@dataclass(frozen=True)
class Dish:
    name_zh: str
    name_en: str
    allergens: tuple[str, ...]
    tags: tuple[str, ...]  # low_salt, low_sugar, soft, vegetarian
    photo: str | None  # asset path or cached server image path


@dataclass(frozen=True)
class MenuView:
    menu_id: int
    community_id: str
    day: date
    meal: str  # lunch | dinner
    dishes: tuple[Dish, ...]
    capacity: int
    seats_left: int | None  # the last count pulled (capacity while nobody booked); None = unknown
    base_price_points: int
    cutoff: datetime  # aware
    open: bool  # before the cut-off


@dataclass(frozen=True)
class Price:
    points: int  # what the resident pays (10 points = 1 yuan)
    yuan_text: str  # the same in yuan, "9.60"
    tier: str  # "80+", "60-79", "" when no tier applies
    discount_pct: int
    subsidy_points: int
    base_points: int = 0


def cutoff_of(day: date, cutoff_hhmm: str) -> datetime:
    hh, mm = (int(x) for x in str(cutoff_hhmm).split(":")[:2])
    return datetime.combine(day, time(hh, mm), LOCAL_TZ)


def _dish(data: dict[str, Any]) -> Dish:
    name = str(data.get("name", ""))
    return Dish(name, str(data.get("name_en") or DISH_EN.get(name, name)), tuple(data.get("allergens") or ()),
                tuple(data.get("tags") or ()), data.get("photo"))


def _seats(session: Session) -> dict[int, dict[str, Any]]:
    rows = session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.CANTEEN_SEATS.value))
    return {int(r.key): r.data for r in rows if r.key.isdigit()}


def menu_from_data(data: dict[str, Any], seats: dict[str, Any] | None, now: datetime) -> MenuView:
    day = date.fromisoformat(str(data["date"]))
    cutoff = cutoff_of(day, data.get("cutoff_time", "09:30"))
    capacity = int(data.get("capacity", 0))
    left = int(seats["seats_left"]) if seats and "seats_left" in seats else capacity
    return MenuView(int(data["menu_id"]), str(data["community_id"]), day, str(data["meal"]),
                    tuple(_dish(d) for d in data.get("dishes") or ()), capacity, left,
                    int(data.get("base_price_points", 0)), cutoff, now < cutoff)


def menus(session: Session, community_id: str | None, today: date, days: int = 3,
          now: datetime | None = None) -> list[MenuView]:
    """The pulled menus of ``community_id`` (None: every community) from ``today`` for ``days`` days,
    by day then lunch before dinner. ``open`` is judged at ``now`` (default: the clock)."""
    now = now or utc_now()
    last = today + timedelta(days=max(1, days) - 1)
    seats = _seats(session)
    found = []
    for row in session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.MENU.value)):
        data = row.data
        try:
            day = date.fromisoformat(str(data["date"]))
            if not today <= day <= last or (community_id and data.get("community_id") != community_id):
                continue
            found.append(menu_from_data(data, seats.get(int(data["menu_id"])), now))
        except (KeyError, ValueError, TypeError):
            log.warning("menu %s in the feed is malformed; skipped", row.key)
    return sorted(found, key=lambda m: (m.day, m.meal != "lunch", m.community_id))


def menu_by_id(session: Session, menu_id: int, now: datetime | None = None) -> MenuView | None:
    seats = _seats(session)
    for row in session.scalars(select(ServerCache).where(ServerCache.kind == ChangeKind.MENU.value)):
        if int(row.data.get("menu_id", -1)) == menu_id:
            return menu_from_data(row.data, seats.get(menu_id), now or utc_now())
    return None


def tiers(session: Session) -> list[dict[str, Any]]:
    value = settings(session).get(TIERS_SETTING)
    return [t for t in value if isinstance(t, dict)] if isinstance(value, list) else []


def counters(session: Session) -> int:
    try:
        return max(1, int(settings(session).get(COUNTERS_SETTING, 1)))
    except (TypeError, ValueError):
        return 1


def price_for(session: Session, menu: MenuView, resident: Resident, today: date | None = None) -> Price:
    """What ``resident`` pays for ``menu`` after their age tier and subsidy (server configuration).

    The tier age is the calendar year of the meal minus the birth year, as on the server
    (``today`` is accepted for the contract and not needed).
    """
    q = quote_price(menu.base_price_points, pricing_age(resident.birth_year, menu.day), tiers(session))
    return Price(q.points, yuan_text(q.points), q.tier, q.discount_percent, q.subsidy_points, q.base_points)


def highlight_low_salt(session: Session, resident_id: str) -> bool:
    """True when the resident's latest blood pressure here is grade 1 or higher (140/90 mmHg), by
    the health store (kiosk.health) when it is installed; False without a reading."""
    try:
        from kiosk.health import store
    except ImportError:
        return False
    try:
        latest = store.history(session, resident_id, "bp", limit=1)
    except Exception as exc:  # noqa: BLE001 - a hint only: never stop the menu for it
        log.info("no blood pressure for the low-salt hint: %s", type(exc).__name__)
        return False
    if not latest:
        return False
    values = latest[-1].values
    try:
        from kiosk.config import KioskConfig
        from kiosk.health.ranges import assess, thresholds_from_config

        grades = {a.category for a in assess(latest[-1], thresholds_from_config(KioskConfig()))}
        return bool(grades & {"bp.grade1", "bp.grade2", "bp.grade3"})
    except Exception:  # noqa: BLE001 - the health ranges differ from what this expects: plain thresholds
        return values.get("systolic_mmhg", 0) >= 140 or values.get("diastolic_mmhg", 0) >= 90


def cutoff_countdown_s(menu: MenuView, now: datetime) -> int | None:
    """Seconds left before the cut-off when it is near (within 30 minutes), else None."""
    left = int((menu.cutoff - now).total_seconds())
    return left if 0 < left <= COUNTDOWN_FROM_S else None
