"""``kiosk-server request ...``: the community's repair and service requests, from the shell."""

from __future__ import annotations

import argparse

from server.cli_session import CliError, with_session
from server.db import utc_now


def cmd_request_list(args: argparse.Namespace) -> int:
    from server.request_admin import list_requests, overdue_flags

    now = utc_now()

    def rows(session) -> list[str]:  # noqa: ANN001
        return [f"{r.tracking_no}\t{r.status}\t{r.category}\t{r.kiosk_id or '-'}\t{r.created_at:%Y-%m-%d %H:%M}"
                f"\t{','.join(overdue_flags(r, now)) or '-'}"
                for r in list_requests(session, args.status, overdue_only=args.overdue, now=now)]

    for line in with_session(args, rows):
        print(line)
    return 0


def cmd_request_update(args: argparse.Namespace) -> int:
    from server.request_admin import update_status

    photo = None
    if args.photo:
        try:
            with open(args.photo, "rb") as fh:
                photo = fh.read()
        except OSError as exc:
            raise CliError(f"cannot read {args.photo}: {exc.strerror or exc}") from None
    status = with_session(args, lambda s: update_status(
        s, args.tracking_no, args.status, note=args.note, actor=args.operator or "cli", now=utc_now(),
        photo=photo, operator_id=args.operator).status)
    print(f"{args.tracking_no} {status}")
    return 0


def cmd_request_show(args: argparse.Namespace) -> int:
    from server.requests.cli_show import show_request

    for line in with_session(args, lambda s: show_request(s, args.tracking_no, utc_now(), args.media_dir)):
        print(line)
    return 0


def cmd_request_callback(args: argparse.Namespace) -> int:
    from server.request_admin import record_callback

    with_session(args, lambda s: record_callback(s, args.tracking_no, args.note, now=utc_now()))
    print(f"{args.tracking_no} called back")
    return 0


def cmd_request_open311_key(args: argparse.Namespace) -> int:
    from server.request_admin import create_open311_client

    client_id, key = with_session(args, lambda s: create_open311_client(s, args.name, now=utc_now()))
    print(f"{client_id}\t{key}")
    return 0


def cmd_request_publish_catalog(args: argparse.Namespace) -> int:
    from server.requests.catalog import seed_catalog

    counts = with_session(args, lambda s: seed_catalog(s, now=utc_now()))
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0
