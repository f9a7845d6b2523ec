"""``kiosk-server points ...`` commands: award, balance, history, reverse (wired in by server.cli)."""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from typing import Callable

from sqlalchemy.orm import Session

from server.ledger.errors import LedgerError
from server.ledger.models import DIMENSIONS
from server.ledger.movements import history, resident_balance, reverse
from server.ledger.rules import LOCAL_TZ, award_by_rule

OpenSession = Callable[[argparse.Namespace], AbstractContextManager[Session]]


def add_commands(subparsers: argparse._SubParsersAction, open_session: OpenSession) -> argparse.ArgumentParser:
    """Add the ``points`` command group to ``subparsers``; returns its parser.

    ``open_session(args)`` gives a context-managed Session on the ``--db`` of ``args``. Each
    command is set as ``args.func(args) -> int`` (0 ok, 1 refused: the message key goes to stderr)
    and commits its own work.
    """
    common = argparse.ArgumentParser(add_help=False)  # --db also after the command; the top level's default stays
    common.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
    points = subparsers.add_parser("points", parents=[common], help="points ledger: award, balance, history, reverse")
    sub = points.add_subparsers(dest="points_command", required=True)

    p = sub.add_parser("award", parents=[common], help="award points to a resident (staff award rule)")
    p.add_argument("resident_id")
    p.add_argument("points", type=int)
    p.add_argument("--dimension", required=True, choices=DIMENSIONS)
    p.add_argument("--reason", required=True)
    p.add_argument("--staff", default=None, help="staff id of the awarding staff member")
    p.add_argument("--hours", type=float, default=None)
    p.set_defaults(func=lambda a: _run(a, open_session, _award))

    p = sub.add_parser("balance", parents=[common], help="a resident's own balance in points")
    p.add_argument("resident_id")
    p.set_defaults(func=lambda a: _run(a, open_session, _balance))

    p = sub.add_parser("history", parents=[common], help="a resident's last transactions")
    p.add_argument("resident_id")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=lambda a: _run(a, open_session, _history))

    p = sub.add_parser("reverse", parents=[common], help="reverse a transaction (never edits it)")
    p.add_argument("tx_id", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--staff", default=None)
    p.set_defaults(func=lambda a: _run(a, open_session, _reverse))
    return points


def _run(args: argparse.Namespace, open_session: OpenSession, command: Callable) -> int:
    with open_session(args) as session:
        try:
            command(session, args)
        except LedgerError as exc:
            session.rollback()
            params = " ".join(f"{k}={v}" for k, v in exc.params.items())
            print(f"refused: {exc.code} {params}".rstrip(), file=sys.stderr)
            return 1
        session.commit()
    return 0


def _award(session: Session, args: argparse.Namespace) -> None:
    tx_id = award_by_rule(session, "staff_award", args.resident_id, operator_id=args.staff or "cli",
                          operator_kind="staff" if args.staff else "system", points=args.points,
                          dimension=args.dimension, reason=args.reason, hours=args.hours)
    print(f"tx {tx_id}: +{args.points} {args.resident_id} balance {resident_balance(session, args.resident_id)}")


def _balance(session: Session, args: argparse.Namespace) -> None:
    print(resident_balance(session, args.resident_id))


def _history(session: Session, args: argparse.Namespace) -> None:
    for e in history(session, args.resident_id, args.limit):
        when = e.when.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        mark = " (reversed)" if e.reversed else ""
        print(f"{e.tx_id}\t{when}\t{e.kind}/{e.category or '-'}\t{e.where or '-'}\t{e.points:+d}{mark}")


def _reverse(session: Session, args: argparse.Namespace) -> None:
    tx_id = reverse(session, args.tx_id, "staff" if args.staff else "system", args.staff or "cli", args.reason)
    print(f"tx {tx_id}: reverses {args.tx_id}")
