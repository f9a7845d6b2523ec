"""Short transactions retried on PostgreSQL serialization failures and deadlocks (and SQLite busy)."""

from __future__ import annotations

import logging
import random
import time
from typing import Callable, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
LOCK_NOT_AVAILABLE = "55P03"
DEFAULT_ATTEMPTS = 6


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a DBAPI error (psycopg), else None."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    """True for errors where running the whole transaction again is the right answer."""
    if not isinstance(exc, DBAPIError):
        return False
    if sqlstate(exc) in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(getattr(exc, "orig", ""))


def backoff_sleep(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.01 * (2**attempt)))


def in_transaction(factory: sessionmaker, fn: Callable[[Session], T], *, attempts: int = DEFAULT_ATTEMPTS) -> T:
    """Run ``fn(session)`` in one transaction, committing on return; retried on retryable errors.

    Runs on the caller's thread; re-raises the last error when attempts run out, and any other
    exception at once (after rollback).
    """
    for attempt in range(attempts):
        try:
            with factory() as session, session.begin():
                return fn(session)
        except DBAPIError as exc:
            if not is_retryable(exc) or attempt == attempts - 1:
                raise
            log.info("transaction retried after sqlstate %s (attempt %d)", sqlstate(exc), attempt + 1)
            backoff_sleep(attempt)
    raise AssertionError("unreachable")
