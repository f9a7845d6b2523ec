"""Built-in sample data for the points screens (screenshots and the audit: no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.i18n import current_language
from kiosk.residents import Resident


@dataclass(frozen=True)
class SampleEntry:
    """Shaped like a kiosk.points history entry: what, where, when, +/-."""

    what: str
    where: str
    when: datetime
    delta: int


@dataclass(frozen=True)
class SampleRule:
    """Shaped like a kiosk.points earning rule."""

    text_zh: str
    text_en: str
    points: int


@dataclass(frozen=True)
class SampleCheckIn:
    """Shaped like a kiosk.points check-in answer."""

    activity_title: str
    points: int
    already: bool = False


_HISTORY = (
    ("带领太极拳晨练", "Led the morning tai chi", "葛巷社区", "Gexiang community", 0, 50),
    ("食堂午餐", "Canteen lunch", "葛巷社区食堂", "Gexiang canteen", 1, -80),
    ("消防安全巡查", "Fire-safety patrol", "葛巷社区", "Gexiang community", 2, 30),
    ("上报楼道隐患", "Reported a stairwell hazard", "葛巷社区", "Gexiang community", 4, 20),
    ("理发", "Haircut", "朱庙社区", "Zhumiao community", 6, -60),
    ("帮助邻居买菜", "Shopped for a neighbour", "葛巷社区", "Gexiang community", 9, 20),
    ("议事会参会", "Residents' council meeting", "葛巷社区", "Gexiang community", 12, 30),
)
_RULES = (
    ("登记为社区人才（社区确认后）", "Register as a community talent (after the community confirms)", 100),
    ("带领兴趣社团活动，每月最多200分", "Lead a club activity (at most 200 a month)", 50),
    ("参加消防或治安巡查", "Join a fire-safety or neighbourhood patrol", 30),
    ("参加居民议事会", "Take part in a residents' council meeting", 30),
    ("上报安全隐患", "Report a safety hazard", 20),
    ("帮助有困难的邻居", "Help a neighbour in need", 20),
)
_BOARD = (("王*国", "Wang *guo", 2300), ("陈*兰", "Chen *lan", 1980), ("张*明", "Zhang *ming", 1250),
          ("刘*华", "Liu *hua", 1100), ("周*英", "Zhou *ying", 960), ("赵*林", "Zhao *lin", 700))
_FAMILY = (("R-SAMPLE-2", "李*英", "Li *ying", 1946, 860), ("R-SAMPLE-3", "张*华", "Zhang *hua", 1975, 320))


def sample_sections(today: date | None = None, *, opted_in: bool = True) -> dict[str, list[Any]]:
    """History, family, rules and leaderboard; texts in the current language's script (the audit checks)."""
    today = today or date.today()
    en = current_language() == "en"
    at = time(10, 30)
    history = [SampleEntry(we if en else wz, pe if en else pz, datetime.combine(today - timedelta(days=d), at), n)
               for wz, we, pz, pe, d, n in _HISTORY]
    family = [(Resident(rid, ne if en else nz, year, "F-SAMPLE", "C-01"), balance)
              for rid, nz, ne, year, balance in _FAMILY]
    return {
        "history": history,
        "family": family,
        "earn": [SampleRule(zh, en_text, n) for zh, en_text, n in _RULES],
        "leaderboard": [(ne if en else nz, n) for nz, ne, n in _BOARD if opted_in or not ne.startswith("Zhang")],
    }


def sample_check_in(already: bool = False) -> SampleCheckIn:
    title = "Morning tai chi" if current_language() == "en" else "太极拳晨练"
    return SampleCheckIn(title, 0 if already else 20, already)
