"""The ``points`` command group: award, balance, history and reverse on a real database."""

from __future__ import annotations

import argparse
from contextlib import contextmanager

import pytest

from server.db import make_engine, make_sessionmaker
from server.ledger.cli import add_commands
from server.ledger.movements import check_invariants


@pytest.fixture
def run(sqlite_url, capsys):
    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)

    @contextmanager
    def open_session(args):
        with make_sessionmaker(make_engine(args.db))() as session:
            yield session
            session.get_bind().dispose()

    parser = argparse.ArgumentParser(prog="kiosk-server")
    parser.add_argument("--db", default="sqlite:///nowhere-else.db")
    add_commands(parser.add_subparsers(dest="command", required=True), open_session)

    def invoke(*argv):
        args = parser.parse_args(["--db", sqlite_url, *argv])
        code = args.func(args)
        out = capsys.readouterr()
        return code, out.out, out.err

    invoke.factory = factory
    invoke.url = sqlite_url
    yield invoke
    engine.dispose()


def test_award_balance_history_and_reverse_from_the_command_line(run):
    code, out, _ = run("points", "award", "R-000001", "120", "--dimension", "governance", "--reason", "patrol",
                       "--staff", "S-0001", "--hours", "2")
    assert code == 0 and out.startswith("tx 1: +120 R-000001 balance 120")
    assert run("points", "balance", "R-000001", "--db", run.url)[:2] == (0, "120\n")
    code, out, _ = run("points", "reverse", "1", "--reason", "duplicate", "--staff", "S-0001")
    assert (code, out) == (0, "tx 2: reverses 1\n")
    assert run("points", "balance", "R-000001")[1] == "0\n"
    code, out, _ = run("points", "history", "R-000001")
    lines = out.splitlines()
    assert [line.split("\t")[2:] for line in lines] == [
        ["reversal/governance", "staff", "-120"],
        ["award/governance", "staff", "+120 (reversed)"],
    ]
    with run.factory() as s:
        assert check_invariants(s) == []


def test_refusals_exit_1_with_the_message_key_on_stderr_and_write_nothing(run):
    code, _, err = run("points", "reverse", "42", "--reason", "nothing")
    assert (code, err) == (1, "refused: points.tx_unknown tx_id=42\n")
    code, _, err = run("points", "award", "R-000001", "5000", "--dimension", "future", "--reason", "typo")
    assert code == 1 and err.startswith("refused: points.amount_invalid")
    assert run("points", "balance", "R-000001")[1] == "0\n"


def test_unknown_dimension_is_a_usage_error(run):
    with pytest.raises(SystemExit) as exit_info:
        run("points", "award", "R-1", "5", "--dimension", "wealth", "--reason", "x")
    assert exit_info.value.code == 2
