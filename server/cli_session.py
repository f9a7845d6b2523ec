"""What every ``kiosk-server`` command shares: one transaction on the server's database, and
the one kind of failure reported as a plain line (exit code 1)."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from server.db import make_engine, make_sessionmaker
from server.txn import in_transaction


class CliError(Exception):
    """A failure reported as one plain line, exit code 1."""


def with_session(args: argparse.Namespace, fn: Callable[[Any], Any]) -> Any:
    engine = make_engine(args.db)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()
