"""`kiosk-server` commands of the operations feature: staff set-pin|list, help list|done, kiosk rows."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, Callable

from sqlalchemy.orm import Session

from server.db import utc_now


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "-"


def _devices(data: dict[str, Any]) -> str:
    parts = []
    for d in data.get("devices") or []:
        reason = f"({d['reason_key']})" if d.get("state") == "error" and d.get("reason_key") else ""
        parts.append(f"{d.get('role')}:{d.get('state')}{reason}")
    return ",".join(parts) or "-"


def kiosk_rows(session: Session) -> list[str]:
    """`kiosk list`: id, name, community, active|revoked, version, last seen, queue, paper, devices, last error."""
    from server.kiosk_admin import list_kiosks
    from server.ops.heartbeat import latest_heartbeats

    beats = latest_heartbeats(session)
    rows = []
    for k in list_kiosks(session):
        beat = beats.get(k.id)
        data = beat.data if beat is not None else {}
        seen = max((t for t in (k.last_seen, beat.received_at if beat else None) if t is not None), default=None)
        queue = f"queue={data['queue']}" + (f"+{data['dead']}dead" if data.get("dead") else "") if data else "queue=-"
        rows.append("\t".join((
            k.id, k.name, k.community_id, "revoked" if k.revoked_at else "active", f"v{data.get('version', k.version)}",
            _when(seen), queue, f"paper={data.get('paper', '-')}", _devices(data),
            f"error={data.get('last_error') or '-'}",
        )))
    return rows


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("New PIN (6-12 digits): ")
    if getpass.getpass("The same PIN again: ") != first:
        raise ValueError("the two PINs differ; nothing was changed")
    return first


def cmd_staff_set_pin(args: argparse.Namespace, with_session: Callable) -> int:
    from server.ops.staff import check_pin, set_pin

    pin = check_pin(_read_pin(args.pin_stdin))
    staff = with_session(args, lambda s: set_pin(s, args.staff_id, pin, now=utc_now()))
    print(f"PIN set for {staff.id} ({staff.role}); kiosks receive it with their next pull")
    return 0


def cmd_staff_list(args: argparse.Namespace, with_session: Callable) -> int:
    from server.ops.staff import list_staff
    from server.residents import mask_name

    def rows(session: Session) -> list[str]:
        return [f"{s.id}\t{mask_name(s.name)}\t{s.role}\t{s.community_id}\t{'pin' if pin else 'no-pin'}"
                for s, pin in list_staff(session, args.community)]

    for line in with_session(args, rows):
        print(line)
    return 0


def cmd_help_list(args: argparse.Namespace, with_session: Callable) -> int:
    from server.ops.help_calls import list_calls

    def rows(session: Session) -> list[str]:
        return [f"{c.call_id}\t{c.status}\t{c.community_id}\t{c.kiosk_id}\t{c.where}\t{_when(c.raised_at)}"
                f"\t{c.closed_by or '-'}" for c in list_calls(session, status=None if args.all else "open",
                                                              community_id=args.community)]

    for line in with_session(args, rows):
        print(line)
    return 0


def cmd_help_done(args: argparse.Namespace, with_session: Callable) -> int:
    from server.ops.help_calls import close_call

    by = f"staff:{args.operator.strip().upper()}" if args.operator else "staff:CLI"
    call = with_session(args, lambda s: close_call(s, args.call_id, by=by, at=utc_now()))
    print(f"{call.call_id} {call.status}")
    return 0


def add_commands(sub: argparse._SubParsersAction, command: Callable, group: Callable, with_session: Callable) -> None:
    """Add `staff set-pin|list` and `help list|done` to the kiosk-server parser."""

    def bind(fn: Callable) -> Callable[[argparse.Namespace], int]:
        return lambda args: fn(args, with_session)

    staff = group("staff", "staff and technicians (help desk sign-in)")
    p = command(staff, "set-pin", bind(cmd_staff_set_pin), "set a staff member's PIN (hashed; sent to kiosks)")
    p.add_argument("staff_id")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
    p = command(staff, "list", bind(cmd_staff_list), "list staff (masked names) and whether a PIN is set")
    p.add_argument("--community")

    hlp = group("help", "residents' calls for staff")
    p = command(hlp, "list", bind(cmd_help_list), "open help calls (oldest first)")
    p.add_argument("--all", action="store_true", help="closed calls too")
    p.add_argument("--community")
    p = command(hlp, "done", bind(cmd_help_done), "mark a help call done (staff arrived)")
    p.add_argument("call_id")
    p.add_argument("--operator", metavar="STAFF_ID")
