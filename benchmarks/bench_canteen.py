"""Canteen capacity race: 200 bookings (plus 10 repeats) from 10 real kiosks for 150 seats, on PostgreSQL.

The server runs as its own process (``python -m server serve``) on a fresh, uniquely named
PostgreSQL database; every kiosk has its own SQLite database and HTTP client and books through
kiosk.canteen.booking.book, two threads per kiosk. Then the seat counter, the bookings and the
ledger are checked: no overbooking, no negative balance, points conserved.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

KIOSKS = 10
PEOPLE = 200
REPEATS = 10
CAPACITY = 150


def run() -> list[tuple[str, float, str]]:
    from kiosk.demo_server import DemoServer
    from tests.support.canteen_world import pg_database, poor, race, seed_canteen, tomorrow  # the race driver

    with pg_database("kiosk_bench_canteen") as db_url:
        if db_url is None:
            print("PostgreSQL not reachable at 127.0.0.1:5432, canteen race skipped")
            return []
        with tempfile.TemporaryDirectory() as tmp:
            server = DemoServer(Path(tmp) / "server", db_url, seed=False)
            url = server.start()  # migrates, then serves
            try:
                seed = seed_canteen(db_url, capacity=CAPACITY, extra_residents=PEOPLE, funds=500)
                people = seed["extra"]
                poor(db_url, people[:10], keep=20)
                result = race(url, db_url, Path(tmp), kiosks=KIOSKS, people=people, repeat=people[10:10 + REPEATS],
                              day=tomorrow())
            finally:
                server.stop()
    attempts = sum(result.outcomes.values())
    over = max(0, result.seats["booked"] + result.seats["held"] - result.seats["capacity"])
    return [
        (f"canteen: {attempts} bookings from {KIOSKS} kiosks for {CAPACITY} seats (PostgreSQL), time",
         result.elapsed_s, "s"),
        ("canteen: booking throughput", attempts / result.elapsed_s, "bookings/s"),
        ("canteen: seats booked (must be 150)", float(result.booked), "count"),
        ("canteen: refused as full", float(result.outcomes.get("canteen.full", 0)), "count"),
        ("canteen: refused as already booked (the 10 repeats)", float(result.outcomes.get("canteen.already_booked", 0)),
         "count"),
        ("canteen: refused for too few points (10 poor residents)", float(result.outcomes.get("points.insufficient", 0)),
         "count"),
        ("canteen: seats over capacity (must be 0)", float(over), "count"),
        ("canteen: negative balances + ledger problems (must be 0)",
         float(result.negative_balances + len(result.ledger_problems)), "count"),
    ]


if __name__ == "__main__":
    for metric, value, unit in run():
        print(f"{metric:<80} {value:>12,.3f} {unit}")
