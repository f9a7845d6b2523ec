"""Built-in sample data for the canteen and points screens (screenshots and the audit: no database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.i18n import current_language
from kiosk.residents import Resident



def sample_resident() -> Resident:
    """A masked sample name in the current language's script (the audit checks every text's script)."""
    return Resident("R-SAMPLE-1", "Zhang *ming" if current_language() == "en" else "张*明", 1943, "F-SAMPLE", "C-01")


def sample_family() -> tuple[Resident, ...]:
    return (Resident("R-SAMPLE-2", "Li *ying" if current_language() == "en" else "李*英", 1946, "F-SAMPLE", "C-01"),)

SAMPLE_PAYLOAD = "CT1:SAMPLE-TICKET-NOT-VALID-0000000000000000000000000000000000"

_DISHES = (
    ("清蒸鲈鱼", "Steamed sea bass", ("fish",), ("soft", "low_salt")),
    ("番茄炒蛋", "Tomato and egg", ("egg",), ("soft", "vegetarian")),
    ("香菇青菜", "Greens with mushrooms", (), ("vegetarian", "low_sugar")),
    ("冬瓜排骨汤", "Winter melon rib soup", (), ("soft", "low_salt")),
    ("红烧狮子头", "Braised pork balls", ("wheat", "soy"), ()),
    ("小米南瓜粥", "Millet pumpkin porridge", (), ("soft", "vegetarian", "low_salt")),
    ("肉末豆腐", "Tofu with minced pork", ("soy",), ("soft",)),
    ("紫菜蛋花汤", "Seaweed egg soup", ("egg",), ("soft", "low_sugar")),
)


def _dishes(offset: int) -> tuple[Any, ...]:
    from kiosk.canteen.menus import Dish

    picked = [_DISHES[(offset + i) % len(_DISHES)] for i in range(4)]
    return tuple(Dish(name_zh=zh, name_en=en, allergens=a, tags=t, photo=None) for zh, en, a, t in picked)


def sample_menus(today: date | None = None, *, closing_soon: bool = False, full: bool = False) -> list[Any]:
    """Three days of lunch and dinner; ``closing_soon`` puts today's lunch cut-off 8 minutes away."""
    from kiosk.canteen.menus import LOCAL_TZ, MenuView

    today = today or datetime.now(LOCAL_TZ).date()
    menus = []
    for offset in range(3):
        day = today + timedelta(days=offset)
        for index, (meal, cutoff, price) in enumerate((("lunch", time(9, 30), 150), ("dinner", time(15, 0), 120))):
            seats = 0 if full and offset == 0 and meal == "lunch" else 150 - 37 * (offset + index) % 150
            moment = datetime.combine(day, cutoff, LOCAL_TZ)
            if offset == 0:  # today's meals are still open in the samples, whatever the hour
                now = datetime.now(LOCAL_TZ).replace(second=0, microsecond=0)
                moment = now + (timedelta(minutes=8) if closing_soon and meal == "lunch" else timedelta(hours=3 + index))
            menus.append(MenuView(
                menu_id=900 + offset * 2 + index, community_id="C-01", day=day, meal=meal,
                dishes=_dishes(offset * 2 + index), capacity=150, seats_left=seats, base_price_points=price,
                cutoff=moment, open=True,
            ))
    return menus


SAMPLE_TIERS = [
    {"min_age": 60, "max_age": 79, "discount_percent": 20},
    {"min_age": 80, "max_age": None, "discount_percent": 40, "subsidy_points": 10},
]


def sample_price(menu: Any | None = None) -> Any:
    """The price of an 82-year-old under the demo tiers (40 % off, 10 points subsidy)."""
    from kiosk.canteen.menus import Price
    from kiosk.protocol import quote_price, yuan_text

    q = quote_price(getattr(menu, "base_price_points", 150), 82, SAMPLE_TIERS)
    return Price(q.points, yuan_text(q.points), q.tier, q.discount_percent, q.subsidy_points, q.base_points)


def sample_ticket(menu: Any | None = None, status: str = "booked", payment: str = "points") -> Any:
    from kiosk.canteen.booking import Ticket

    menu = menu or sample_menus()[0]
    price = sample_price(menu)
    paid_points = 0 if payment == "cash" else price.points
    return Ticket(
        booking_id="B-SAMPLE-0001", menu_id=menu.menu_id, day=menu.day, meal=menu.meal,
        beneficiary_id=sample_resident().resident_id, masked_name=sample_resident().masked_name, price=price,
        paid_points=paid_points, paid_cash_yuan="0.00" if payment == "points" else price.yuan_text,
        payload=SAMPLE_PAYLOAD, status=status,
    )


def sample_bookings(today: date | None = None) -> list[Any]:
    menus = sample_menus(today)
    return [sample_ticket(menus[0]), sample_ticket(menus[3], payment="cash")]


def sample_redemption(outcome: str, today: date) -> Any:
    """A counter outcome: a wrong-day ticket is yesterday's, a wrong-meal one is for dinner."""
    from kiosk.canteen.counter import Redemption, RedeemOutcome

    masked = "" if outcome in ("forged", "unknown") else sample_resident().masked_name
    day = today - timedelta(days=1) if outcome == "wrong_day" else today
    return Redemption(outcome=RedeemOutcome(outcome), masked_name=masked,
                      meal="dinner" if outcome == "wrong_meal" else "lunch",
                      day=None if outcome in ("forged", "unknown") else day, detail_key="",
                      counter_no=2 if outcome == "other_counter" else None)
