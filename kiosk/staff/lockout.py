"""PIN lockout kept in the kiosk database: 5 failures lock, each later failure doubles the wait."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import Session

from kiosk.staff.models import PinLockout
from kiosk.staff.pins import verify_pin
from kiosk.storage.column_types import utc_now

LOCK_AFTER_FAILURES = 5
FIRST_LOCK_S = 30
MAX_LOCK_S = 3600


@dataclass(frozen=True)
class Attempt:
    """One PIN check: ``wait_s`` > 0 while locked (then even the right PIN is refused)."""

    ok: bool
    locked_until: datetime | None
    failures: int
    wait_s: int


def lock_seconds(failures: int) -> int:
    """How long ``failures`` consecutive failures lock: 0 below 5, then 30 s, 60 s, 120 s ... at most 1 h."""
    if failures < LOCK_AFTER_FAILURES:
        return 0
    return min(FIRST_LOCK_S * 2 ** min(failures - LOCK_AFTER_FAILURES, 16), MAX_LOCK_S)


def _wait_s(until: datetime | None, now: datetime) -> int:
    if until is None or until <= now:
        return 0
    return max(1, math.ceil((until - now).total_seconds()))


class PinGate:
    """Checks PINs for one sign-in (``who``: "technician" or "staff:<id>") with a lockout that
    survives restarts (rows in ``pin_lockouts``).

    Blocking (the database writer and ~50 ms of scrypt): call from a worker, never the Qt thread.
    ``clock`` returns an aware UTC datetime (tests move it).
    """

    def __init__(self, db, who: str, clock: Callable[[], datetime] = utc_now) -> None:  # noqa: ANN001
        self.db = db
        self.who = who
        self.clock = clock

    def check(self, pin: str, encoded: str) -> Attempt:
        """Verify ``pin`` against ``encoded`` unless locked; a failure is stored before this returns."""
        now = self.clock()

        def attempt(session: Session) -> Attempt:
            row = session.get(PinLockout, self.who)
            wait = _wait_s(row.locked_until if row else None, now)
            if row is not None and wait:
                return Attempt(False, row.locked_until, row.failures, wait)
            if verify_pin(pin, encoded):
                if row is not None:
                    session.delete(row)
                return Attempt(True, None, 0, 0)
            failures = (row.failures if row else 0) + 1
            lock_s = lock_seconds(failures)
            until = now + timedelta(seconds=lock_s) if lock_s else None
            if row is None:
                session.add(PinLockout(who=self.who, failures=failures, locked_until=until, updated_at=now))
            else:
                row.failures, row.locked_until, row.updated_at = failures, until, now
            return Attempt(False, until, failures, lock_s)

        return self.db.write(attempt)

    def locked_for_s(self) -> int:
        """Seconds until a PIN may be tried again (0 when not locked)."""
        with self.db.session() as session:
            row = session.get(PinLockout, self.who)
            return _wait_s(row.locked_until if row else None, self.clock())

    def failures(self) -> int:
        """Consecutive failures since the last success."""
        with self.db.session() as session:
            row = session.get(PinLockout, self.who)
            return row.failures if row else 0
