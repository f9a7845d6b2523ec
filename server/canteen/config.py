"""Canteen settings (server configuration, also pulled by kiosks as KIOSK_CONFIG) and local time.

- ``canteen.age_discounts``: price tiers, list of {min_age, max_age|None, discount_percent,
  subsidy_points?, tier?}; the oldest matching tier wins (kiosk.protocol.quote_price). The age is
  the calendar year of the meal minus the birth year on both sides.
- ``canteen.counters``: serving counters (窗口) of a canteen; each person's tickets go to one of them.
- ``canteen.offline_seats``: seats of each open menu a kiosk may hold for booking offline (default 2).
- ``points.earning_rules``: how to earn points, shown on the kiosks (plain words in both languages).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import KioskSetting, Menu

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
TIERS = "canteen.age_discounts"
COUNTERS = "canteen.counters"
OFFLINE_SEATS = "canteen.offline_seats"
EARNING_RULES = "points.earning_rules"
DEFAULT_OFFLINE_SEATS = 2
MAX_OFFLINE_SEATS = 10
# A hold is given back by the server one day after its menu's cut-off: offline bookings made
# before the cut-off may still be on their way (the same reasoning as a points reserve's grace).
HOLD_GRACE_S = 24 * 3600


def setting(session: Session, key: str, default: Any = None) -> Any:
    """The global value of ``key`` (kiosk_settings with no kiosk), or ``default``."""
    value = session.scalar(select(KioskSetting.value).where(KioskSetting.kiosk_id.is_(None), KioskSetting.key == key))
    return default if value is None else value


def tiers(session: Session) -> list[dict[str, Any]]:
    value = setting(session, TIERS, [])
    return [t for t in value if isinstance(t, dict)] if isinstance(value, list) else []


def counters(session: Session) -> int:
    try:
        return max(1, int(setting(session, COUNTERS, 1)))
    except (TypeError, ValueError):
        return 1


def offline_seats(session: Session) -> int:
    try:
        return max(0, min(MAX_OFFLINE_SEATS, int(setting(session, OFFLINE_SEATS, DEFAULT_OFFLINE_SEATS))))
    except (TypeError, ValueError):
        return DEFAULT_OFFLINE_SEATS


def cutoff_of(menu: Menu) -> datetime:
    """The aware moment booking (and cancelling) closes: ``cutoff_time`` local time on the menu's day."""
    return datetime.combine(menu.day, menu.cutoff_time, LOCAL_TZ)


def merchant_of(community_id: str) -> str:
    """The ledger merchant of a community's canteen (account ``merchant:canteen:C-01``)."""
    return f"canteen:{community_id}"


DEFAULT_EARNING_RULES = [
    {"id": "activity_checkin", "points": 20, "text_zh": "参加社区活动，扫活动签到码", "text_en": "Join a community activity and scan its check-in code"},
    {"id": "activity_leader", "points": 50, "text_zh": "带领一次兴趣活动（每月最多200分）", "text_en": "Lead a club activity (at most 200 a month)"},
    {"id": "community_talent", "points": 100, "text_zh": "登记为社区达人，经社区确认（一次）", "text_en": "Register as a community talent, once confirmed (once)"},
    {"id": "patrol", "points": 30, "text_zh": "参加消防巡查或平安巡逻", "text_en": "Join a fire-safety check or a safety patrol"},
    {"id": "report_hazard", "points": 10, "text_zh": "报告安全隐患，经核实", "text_en": "Report a hazard that is confirmed"},
    {"id": "help_neighbour", "points": 20, "text_zh": "帮助邻里，由工作人员记录", "text_en": "Help a neighbour, recorded by staff"},
]
