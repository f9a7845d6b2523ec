"""``kiosk-server health``: the doctor's follow-up list, a resident's observations, closing an alert."""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.db import utc_now
from server.health.admin import list_alerts, mark_alert_done, observations_of

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
OpenSession = Callable[[argparse.Namespace], AbstractContextManager[Session]]


def add_commands(subparsers: argparse._SubParsersAction, open_session: OpenSession) -> argparse.ArgumentParser:
    """Add the ``health`` command group; each command commits its own work and returns 0 / 1."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    health = subparsers.add_parser("health", parents=[common], help="health cabin: alerts and observations")
    sub = health.add_subparsers(dest="health_command", required=True)

    p = sub.add_parser("alerts", parents=[common], help="the community doctor's follow-up list")
    p.add_argument("--open", action="store_true", help="only alerts not yet followed up")
    p.set_defaults(func=lambda a: _run(a, open_session, _alerts))

    p = sub.add_parser("observations", parents=[common], help="a resident's stored observations")
    p.add_argument("resident_id")
    p.set_defaults(func=lambda a: _run(a, open_session, _observations))

    p = sub.add_parser("alert-done", parents=[common], help="mark an alert as followed up")
    p.add_argument("alert_id", type=int)
    p.add_argument("--note", default="")
    p.set_defaults(func=lambda a: _run(a, open_session, _alert_done))
    return health


def _run(args: argparse.Namespace, open_session: OpenSession, command: Callable) -> int:
    with open_session(args) as session:
        try:
            command(session, args)
        except (LookupError, ValueError) as exc:
            session.rollback()
            print(f"refused: {exc}", file=sys.stderr)
            return 1
        session.commit()
    return 0


def _local(when) -> str:  # noqa: ANN001
    return when.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _alerts(session: Session, args: argparse.Namespace) -> None:
    for a in list_alerts(session, open_only=args.open):
        print(f"{a.id}\t{a.status}\t{_local(a.created_at)}\t{a.resident_id}\t{a.masked_name}\t{a.check_id}\t"
              f"{','.join(a.reasons)}")


def _observations(session: Session, args: argparse.Namespace) -> None:
    for o in observations_of(session, args.resident_id):
        print(f"{_local(o.effective_at)}\t{o.check_id}\t{o.loinc}\t{o.value_text}\t{o.category or '-'}\t"
              f"{o.interpretation or '-'}")


def _alert_done(session: Session, args: argparse.Namespace) -> None:
    alert = mark_alert_done(session, args.alert_id, now=utc_now(), note=args.note)
    print(f"alert {alert.id} done")
