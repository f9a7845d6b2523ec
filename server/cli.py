"""The ``kiosk-server`` command line: serve, migrate, seed and administer the community server."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from datetime import date
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from sqlalchemy.orm import Session

from server.cli_requests import (
    cmd_request_callback,
    cmd_request_list,
    cmd_request_open311_key,
    cmd_request_publish_catalog,
    cmd_request_show,
    cmd_request_update,
)
from server.cli_session import CliError, with_session
from server.db import DEFAULT_DB_URL, make_engine, make_sessionmaker, utc_now

ENV_DB = "KIOSK_SERVER_DB"
DEFAULT_PORT = 8470


def _mask_phone(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 8 else "-"


# --- commands -----------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app
    from server.migrate import upgrade

    upgrade(args.db)
    uvicorn.run(create_app(args.db), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.migrate import current, upgrade

    upgrade(args.db)
    print(f"database at revision {current(args.db)}")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server.migrate import upgrade
    from server.seed_demo import AlreadySeeded, seed_demo

    upgrade(args.db)
    try:
        counts = with_session(args, lambda s: seed_demo(s, seed=args.seed, now=utc_now()))
    except AlreadySeeded as exc:
        if args.if_empty:  # kiosk demo: seed on the first start, keep the data afterwards
            print("already seeded")
            return 0
        raise CliError(str(exc)) from None
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def cmd_resident_add(args: argparse.Namespace) -> int:
    from server.residents import add_resident

    try:
        birth = date.fromisoformat(args.birth_date)
    except ValueError:
        raise CliError("--birth-date must be YYYY-MM-DD") from None
    rid = with_session(args, lambda s: add_resident(
        s, name=args.name, birth_date=birth, community_id=args.community, phone=args.phone,
        unit_id=args.unit, family_id=args.family, roles=args.role or None,
    ).id)
    print(rid)
    return 0


def cmd_resident_list(args: argparse.Namespace) -> int:
    from server.residents import list_residents, mask_name

    def rows(session) -> list[str]:  # noqa: ANN001
        out = []
        for r in list_residents(session, args.community):
            name = r.name if args.unmasked else mask_name(r.name)
            phone = (r.phone or "-") if args.unmasked else _mask_phone(r.phone)
            out.append(f"{r.id}\t{name}\t{r.birth_date.year}\t{phone}\t{r.community_id}\t{r.family_id or '-'}")
        return out

    for line in with_session(args, rows):
        print(line)
    return 0


def cmd_token_issue(args: argparse.Namespace) -> int:
    from server.identity_admin import issue_identity_token

    payload, _row = with_session(args, lambda s: issue_identity_token(
        s, args.subject.strip().upper(), days=args.days, now=utc_now()))
    print(payload)
    if args.png:
        import segno

        segno.make(payload, error="m").save(args.png, scale=8, border=4)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from server.identity_admin import revoke_token

    added = with_session(args, lambda s: revoke_token(s, args.token_id, now=utc_now()))
    print("revoked" if added else "already revoked")
    return 0


def cmd_key_rotate(args: argparse.Namespace) -> int:
    from server.identity_admin import rotate_keys

    kid = with_session(args, lambda s: rotate_keys(s, now=utc_now()).kid)
    print(kid)
    return 0


def cmd_points_award(args: argparse.Namespace) -> int:
    from server.ledger.movements import award

    tx = with_session(args, lambda s: award(s, args.resident_id, args.points, args.dimension, args.reason,
                                             "staff" if args.operator else "system", args.operator))
    print(tx)
    return 0


def cmd_kiosk_enroll_code(args: argparse.Namespace) -> int:
    from server.kiosk_admin import new_enrollment_code

    print(with_session(args, lambda s: new_enrollment_code(s, args.community, ttl_hours=args.ttl_hours,
                                                            now=utc_now())))
    return 0


def cmd_kiosk_list(args: argparse.Namespace) -> int:
    from server.ops.cli import kiosk_rows  # with the latest heartbeat: version, queue, paper, devices, error

    for line in with_session(args, kiosk_rows):
        print(line)
    return 0


def cmd_kiosk_revoke(args: argparse.Namespace) -> int:
    from server.kiosk_admin import revoke_kiosk

    with_session(args, lambda s: revoke_kiosk(s, args.kiosk_id, now=utc_now()))
    print(f"{args.kiosk_id} revoked")
    return 0


def cmd_config_set(args: argparse.Namespace) -> int:
    from server.kiosk_config import parse_value, set_setting

    value = parse_value(args.value)
    with_session(args, lambda s: set_setting(s, args.key, value, kiosk_id=args.kiosk, now=utc_now()))
    print(f"{args.key}={json.dumps(value, ensure_ascii=False)} for {args.kiosk or 'all kiosks'}")
    return 0


def cmd_purge_keys(args: argparse.Namespace) -> int:
    from server.idempotent import purge_keys

    print(with_session(args, lambda s: purge_keys(s, older_than_days=args.older_than_days, now=utc_now())))
    return 0


# --- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    default_db = os.environ.get(ENV_DB, DEFAULT_DB_URL)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=f"database URL (env {ENV_DB}, default {DEFAULT_DB_URL})")
    parser = argparse.ArgumentParser(prog="kiosk-server", description="Reference community server")
    # Its own action: set_defaults on a shared parent action would change every subcommand's default.
    parser.add_argument("--db", default=default_db, help=f"database URL (env {ENV_DB}, default {DEFAULT_DB_URL})")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(parent, name: str, fn: Callable[[argparse.Namespace], int], help_: str):  # noqa: ANN001, ANN202
        p = parent.add_parser(name, parents=[common], help=help_)
        p.set_defaults(func=fn)
        return p

    def group(name: str, help_: str):  # noqa: ANN202
        p = sub.add_parser(name, parents=[common], help=help_)
        return p.add_subparsers(dest=f"{name}_command", required=True)

    p = command(sub, "serve", cmd_serve, "migrate, then serve the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    command(sub, "migrate", cmd_migrate, "bring the schema to the newest revision")
    p = command(sub, "seed-demo", cmd_seed_demo, "fill an empty database with demo data (once)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--if-empty", action="store_true", help="succeed without changes when already seeded")

    res = group("resident", "residents")
    p = command(res, "add", cmd_resident_add, "add a resident")
    p.add_argument("--name", required=True)
    p.add_argument("--birth-date", required=True, help="YYYY-MM-DD")
    p.add_argument("--community", required=True)
    p.add_argument("--phone")
    p.add_argument("--unit")
    p.add_argument("--family", help="family id (created with this resident as holder if new)")
    p.add_argument("--role", action="append", help="repeatable: resident, volunteer, talent, leader")
    p = command(res, "list", cmd_resident_list, "list residents (masked unless --unmasked)")
    p.add_argument("--community")
    p.add_argument("--unmasked", action="store_true")

    tok = group("token", "identity QR tokens")
    p = command(tok, "issue", cmd_token_issue, "issue a signed QR token; prints its payload")
    p.add_argument("subject", metavar="RESIDENT_OR_STAFF_ID")
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--png", metavar="FILE")
    p = command(tok, "revoke", cmd_token_revoke, "put a token id on the deny-list")
    p.add_argument("token_id")

    key = group("key", "signing keys")
    command(key, "rotate", cmd_key_rotate, "new signing key; old ones verify until their not_after")

    _add_ledger_commands(sub, group)
    from server.health.cli import add_commands as add_health_commands

    add_health_commands(sub, open_session)
    from server.canteen.cli import add_commands as add_canteen_commands

    add_canteen_commands(sub, open_session)  # canteen ... and activity ... (issue #7)

    req = group("request", "service requests")
    p = command(req, "list", cmd_request_list, "list requests (last column: overdue accept/resolve/callback)")
    p.add_argument("--status")
    p.add_argument("--overdue", action="store_true", help="only requests with an overdue SLA timer")
    p = command(req, "update", cmd_request_update, "move a request to a new status")
    p.add_argument("tracking_no")
    p.add_argument("--status", required=True)
    p.add_argument("--note", default="")
    p.add_argument("--photo", metavar="FILE", help="the handler's result photo (JPEG/PNG)")
    p.add_argument("--operator", metavar="STAFF_ID", help="staff member acting (default: cli)")
    p = command(req, "show", cmd_request_show, "a request with its timeline, timers and media")
    p.add_argument("tracking_no")
    p.add_argument("--media-dir", metavar="DIR", help="write the request's photos and voice notes here")
    p = command(req, "callback", cmd_request_callback, "record the call-back after closing")
    p.add_argument("tracking_no")
    p.add_argument("--note", default="")
    p = command(req, "open311-key", cmd_request_open311_key, "issue an Open311 api_key; prints id and key")
    p.add_argument("--name", required=True)
    command(req, "publish-catalog", cmd_request_publish_catalog,
            "fill/refresh the request categories and place map and send them to kiosks")

    ksk = group("kiosk", "kiosks")
    p = command(ksk, "enroll-code", cmd_kiosk_enroll_code, "create a one-time enrollment code")
    p.add_argument("--community", required=True)
    p.add_argument("--ttl-hours", type=float, default=24.0)
    command(ksk, "list", cmd_kiosk_list, "list kiosks with their last heartbeat (version, queue, paper, devices, last error)")
    p = command(ksk, "revoke", cmd_kiosk_revoke, "revoke a kiosk")
    p.add_argument("kiosk_id")

    from server.ops.cli import add_commands as add_ops_commands

    add_ops_commands(sub, command, group, with_session)  # staff set-pin|list, help list|done (issue #8)

    cfg = group("config", "kiosk configuration")
    p = command(cfg, "set", cmd_config_set, "set a setting (JSON value or text) for all kiosks or one")
    p.add_argument("key")
    p.add_argument("value")
    p.add_argument("--kiosk")

    mnt = group("maintenance", "housekeeping")
    p = command(mnt, "purge-keys", cmd_purge_keys, "delete idempotency keys older than N (>= 90) days")
    p.add_argument("--older-than-days", type=int, required=True)
    return parser


@contextmanager
def open_session(args: argparse.Namespace) -> Iterator[Session]:
    """A Session on ``args.db`` (the caller commits); the engine is disposed afterwards."""
    engine = make_engine(args.db)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _add_ledger_commands(sub: argparse._SubParsersAction, group: Callable) -> None:
    """The ledger's own ``points`` commands when it ships them, else a plain ``points award``."""
    try:
        ledger_cli = importlib.import_module("server.ledger.cli")
    except ModuleNotFoundError as exc:
        if exc.name not in ("server.ledger", "server.ledger.cli"):
            raise
        ledger_cli = None
    if ledger_cli is not None and hasattr(ledger_cli, "add_commands"):
        ledger_cli.add_commands(sub, open_session)
        return
    p = group("points", "points ledger").add_parser("award", help="award points to a resident")
    p.add_argument("--db", default=argparse.SUPPRESS)
    p.add_argument("resident_id")
    p.add_argument("points", type=int)
    p.add_argument("--dimension", required=True, choices=("harmony", "civility", "governance", "integrity", "future"))
    p.add_argument("--reason", required=True)
    p.add_argument("--operator", help="staff id")
    p.set_defaults(func=cmd_points_award)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns 0 ok, 1 failure (one plain line on stderr), 2 usage error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args) or 0)
    except (CliError, LookupError, ValueError) as exc:
        print(f"kiosk-server: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a plain message, not a traceback, for the operator
        print(f"kiosk-server: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
