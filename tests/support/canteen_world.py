"""A canteen world for tests and the benchmark: a seeded reference server (SQLite or PostgreSQL) on a
settable clock, and kiosks with their own SQLite database, client and relay."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.canteen.link import Link
from kiosk.canteen.menus import MenuView, menus
from kiosk.residents import Resident, lookup
from kiosk.storage import Database, open_database
from kiosk.storage.column_types import utc_now
from kiosk.sync.enrollment import enroll
from kiosk.sync.relay import Relay
from kiosk.sync.transport import ServerClient

LOCAL = ZoneInfo("Asia/Shanghai")
TIERS = [
    {"min_age": 60, "max_age": 79, "discount_percent": 20},
    {"min_age": 80, "max_age": None, "discount_percent": 40, "subsidy_points": 10},
]
BASE = {"lunch": 150, "dinner": 120}
CUTOFF = {"lunch": time(9, 30), "dinner": time(15, 0)}
ELDER = "R-000082"  # 82 years old in the year of the meals, alone
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


class Clock:
    """The server's (and the kiosks') clock: real time plus an offset tests move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset


@contextmanager
def server_session(db_url: str) -> Iterator[Any]:
    """A session on the server database that commits when the block ends."""
    from server.db import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def tomorrow() -> date:
    return datetime.now(LOCAL).date() + timedelta(days=1)


def seed_canteen(db_url: str, *, days: tuple[date, ...] | None = None, capacity: int = 150, counters: int = 1,
                 offline_seats: int = 2, extra_residents: int = 0, funds: int = 1000) -> dict[str, Any]:
    """seed_minimal + an 82-year-old (ELDER), ``extra_residents`` more (R-100000.., ages 60-95),
    tiers and counters, lunch and dinner menus on ``days`` (default tomorrow) and ``funds`` points
    for everyone. Returns ids: menus {(day, meal): id}, residents, enroll_code, community_id."""
    from server.canteen.config import COUNTERS, OFFLINE_SEATS, TIERS as TIERS_KEY
    from server.changes import record_change
    from server.kiosk_config import set_setting
    from server.ledger.movements import award
    from server.models import Menu, Resident as ServerResident
    from server.residents import add_resident
    from server.testing import seed_minimal
    from kiosk.protocol import ChangeKind

    base = seed_minimal(db_url)
    days = days or (tomorrow(),)
    with server_session(db_url) as s:
        now = utc_now()
        people = list(base["residents"])
        if s.get(ServerResident, ELDER) is None:
            add_resident(s, name="赵桂英", birth_date=date(days[0].year - 82, 3, 1), community_id="C-01",
                         family_id="F-0082", resident_id=ELDER)
            for i in range(extra_residents):
                add_resident(s, name=f"钱{'一二三四五六七八九十'[i % 10]}明", birth_date=date(days[0].year - 60 - i % 36, 5, 1),
                             community_id="C-01", resident_id=f"R-{100000 + i:06d}")
            set_setting(s, TIERS_KEY, TIERS, now=now)
            set_setting(s, COUNTERS, counters, now=now)
            set_setting(s, OFFLINE_SEATS, offline_seats, now=now)
            for rid in [*people, ELDER, *(f"R-{100000 + i:06d}" for i in range(extra_residents))]:
                award(s, rid, funds, "harmony", "test funds", "system", None, key=f"funds-{rid}")
        menu_ids: dict[tuple[date, str], int] = {}
        for day in days:
            for meal in ("lunch", "dinner"):
                existing = s.query(Menu).filter_by(community_id="C-01", day=day, meal=meal).one_or_none()
                if existing is None:
                    existing = Menu(community_id="C-01", day=day, meal=meal, capacity=capacity,
                                    dishes=[{"name": "清蒸鲈鱼", "allergens": ["fish"], "tags": ["soft", "low_salt"]},
                                            {"name": "番茄炒蛋", "allergens": ["egg"], "tags": ["soft"]}],
                                    base_price_points=BASE[meal], cutoff_time=CUTOFF[meal])
                    s.add(existing)
                    s.flush()
                    record_change(s, ChangeKind.MENU, f"C-01:{day.isoformat()}:{meal}", existing.feed_data())
                menu_ids[(day, meal)] = existing.id
    return {**base, "menus": menu_ids, "elder": ELDER,
            "extra": [f"R-{100000 + i:06d}" for i in range(extra_residents)]}


@dataclass
class KioskSide:
    """One kiosk: its database, client, relay and a Link for the canteen services."""

    db: Database
    client: ServerClient
    relay: Relay
    link: Link
    kiosk_id: str = ""
    closers: list[Callable[[], None]] = field(default_factory=list)

    def sync(self) -> None:
        """Push everything pending and pull (one relay cycle on this thread)."""
        self.relay.step()

    def offline(self) -> Link:
        """The same kiosk without its server: what it can do with the network down."""
        return Link(self.db, None, clock=self.link.clock)

    def resident(self, resident_id: str) -> Resident:
        with self.db.session() as s:
            found = lookup(s, resident_id)
        assert found is not None, f"{resident_id} not pulled"
        return found

    def menu(self, day: date, meal: str, now: datetime | None = None) -> MenuView:
        with self.db.session() as s:
            found = [m for m in menus(s, "C-01", day, 1, now=now) if m.meal == meal]
        assert found, f"no {meal} menu on {day} pulled"
        return found[0]

    def close(self) -> None:
        self.client.close()
        self.db.close()


def make_kiosk(base_url: str, path: Path, code: str, clock: Callable[[], datetime] = utc_now,
               name: str = "测试终端") -> KioskSide:
    """An enrolled kiosk with a fresh database at ``path``, synced once."""
    db = open_database(path)
    client = ServerClient(base_url, connect_timeout_s=2.0, read_timeout_s=30.0, deadline_s=60.0)
    try:
        creds = enroll(db, client, code, name)
    except BaseException:
        client.close()
        db.close()
        raise
    relay = Relay(db, client, pull_interval_s=3600)
    side = KioskSide(db, client, relay, Link(db, client, clock=clock), creds.kiosk_id)
    side.sync()
    return side


def new_code(db_url: str) -> str:
    from server.kiosk_admin import new_enrollment_code

    with server_session(db_url) as s:
        return new_enrollment_code(s, "C-01", ttl_hours=1, now=utc_now())


def ledger_problems(db_url: str) -> list[str]:
    from server.ledger.movements import check_invariants

    with server_session(db_url) as s:
        return check_invariants(s)


def balance_of(db_url: str, resident_id: str) -> int:
    from server.ledger.movements import resident_balance

    with server_session(db_url) as s:
        return resident_balance(s, resident_id)


@contextmanager
def pg_database(prefix: str = "kiosk_canteen") -> Iterator[str | None]:
    """A fresh uniquely named PostgreSQL database URL (dropped afterwards), or None when unreachable."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception:  # noqa: BLE001 - any failure means PostgreSQL is not usable here
        yield None
        return
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class RaceResult:
    """What 200 bookings racing for the seats of one menu came to."""

    outcomes: dict[str, int]  # "ok" or the refusal's key -> count
    elapsed_s: float
    seats: dict[str, int]  # the server's seat counter: capacity, booked, held
    active_bookings: int  # booked rows on the server for the menu
    paid_points: int  # points the menu's live bookings paid
    merchant_points: int  # what the canteen's ledger account received
    ledger_problems: list[str]
    negative_balances: int

    @property
    def booked(self) -> int:
        return self.outcomes.get("ok", 0)


def race(base_url: str, db_url: str, root: Path, *, kiosks: int, people: list[str], repeat: list[str],
         day: date, meal: str = "lunch", threads_per_kiosk: int = 2) -> RaceResult:
    """``kiosks`` real kiosks (own SQLite, client) book ``meal`` on ``day`` for ``people`` (and book
    ``repeat`` a second time from another kiosk) all at once; then read the server's figures."""
    import concurrent.futures
    import threading
    import time as _time

    from sqlalchemy import func, select

    from kiosk.canteen.booking import book
    from kiosk.canteen.errors import CanteenError
    from server.canteen.config import merchant_of
    from server.canteen.models import Booking, SeatCount
    from server.ledger.models import Account
    from server.ledger.movements import check_invariants, merchant_account

    sides = [make_kiosk(base_url, root / f"race-{i}.sqlite3", new_code(db_url), name=f"race-{i}") for i in range(kiosks)]
    try:
        jobs: list[list[str]] = [[] for _ in range(kiosks)]
        for n, rid in enumerate(people):
            jobs[n % kiosks].append(rid)
        for n, rid in enumerate(repeat):
            jobs[(people.index(rid) + 1 + n) % kiosks].append(rid)  # a second kiosk, the same person
        menu = sides[0].menu(day, meal)
        residents = {rid: sides[0].resident(rid) for rid in people}
        outcomes: dict[str, int] = {}
        lock = threading.Lock()
        barrier = threading.Barrier(kiosks * threads_per_kiosk + 1)

        def worker(side: KioskSide, mine: list[str]) -> None:
            barrier.wait()
            for rid in mine:
                try:
                    book(side.link, menu=menu, payer=residents[rid], beneficiary=residents[rid], payment="points")
                    key = "ok"
                except CanteenError as exc:
                    key = exc.key
                with lock:
                    outcomes[key] = outcomes.get(key, 0) + 1

        with concurrent.futures.ThreadPoolExecutor(kiosks * threads_per_kiosk) as pool:
            futures = [pool.submit(worker, side, jobs[i][t::threads_per_kiosk])
                       for i, side in enumerate(sides) for t in range(threads_per_kiosk)]
            barrier.wait()
            started = _time.perf_counter()
            for future in futures:
                future.result()
            elapsed = _time.perf_counter() - started
    finally:
        for side in sides:
            side.close()
    with server_session(db_url) as s:
        seats = s.get(SeatCount, menu.menu_id)
        active = s.scalar(select(func.count()).select_from(Booking).where(
            Booking.menu_id == menu.menu_id, Booking.status.in_(("booked", "served", "no_show"))))
        paid = s.scalar(select(func.coalesce(func.sum(Booking.paid_points), 0)).where(
            Booking.menu_id == menu.menu_id, Booking.status == "booked"))
        merchant = s.scalar(select(Account.balance).where(Account.id == merchant_account(merchant_of("C-01")))) or 0
        negative = s.scalar(select(func.count()).select_from(Account).where(Account.kind != "issuer",
                                                                             Account.balance < 0))
        problems = check_invariants(s)
    return RaceResult(outcomes, elapsed, {"capacity": seats.capacity, "booked": seats.booked, "held": seats.held},
                      int(active), int(paid), int(merchant), problems, int(negative))


def poor(db_url: str, residents: list[str], keep: int) -> None:
    """Spend the residents' points down to ``keep`` (too few for a meal)."""
    from server.ledger.movements import resident_balance, spend

    with server_session(db_url) as s:
        for rid in residents:
            spend(s, rid, resident_balance(s, rid) - keep, "shop", "shop:test", "system", None)
