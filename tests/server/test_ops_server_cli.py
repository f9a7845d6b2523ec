"""kiosk-server staff set-pin|list, kiosk list with heartbeats, help list|done, heartbeat history."""

from __future__ import annotations

import io
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.protocol import DeviceBeat, EnrollRequest, Heartbeat, pin_hash_matches
from server.changes import ChangeRow
from server.cli import main
from server.db import make_engine, make_sessionmaker, utc_now
from server.kiosk_admin import enroll, new_enrollment_code
from server.models import Community
from server.ops.heartbeat import heartbeat_history, record_heartbeat
from server.ops.help_calls import open_call
from server.ops.models import StaffPin
from server.testing import seed_minimal


@pytest.fixture
def db(sqlite_url) -> str:
    seed_minimal(sqlite_url)
    return sqlite_url


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:  # noqa: ANN001
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def query(url: str, fn):  # noqa: ANN001, ANN201
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s, s.begin():
            return fn(s)
    finally:
        engine.dispose()


def feed(url: str, kind: str) -> list[ChangeRow]:
    return query(url, lambda s: list(s.scalars(select(ChangeRow).where(ChangeRow.kind == kind).order_by(ChangeRow.seq))))


def new_kiosk(url: str, community: str, name: str) -> str:
    def make(s):  # noqa: ANN001, ANN202
        if s.get(Community, community) is None:
            s.add(Community(id=community, sub_district_id="SD-CQ", name="朱庙社区"))
            s.flush()
        code = new_enrollment_code(s, community, ttl_hours=1, now=utc_now())
        return enroll(s, EnrollRequest(code=code, kiosk_name=name, install_id="i", version="0.1.0"), now=utc_now()).kiosk_id

    return query(url, make)


def test_staff_set_pin_stores_only_a_salted_hash_and_sends_it_to_every_kiosk(capsys, db, monkeypatch):
    code, out, _ = run(capsys, "staff", "set-pin", "s-0001", "--pin-stdin", "--db", db, stdin="246810\n",
                       monkeypatch=monkeypatch)
    assert code == 0 and "S-0001" in out
    change = feed(db, "staff")[-1]
    assert change.audience_kiosk_id is None and change.key == "S-0001"
    data = change.data
    assert (data["masked_name"], data["role"], data["community_id"], data["active"]) == ("周*燕", "staff", "C-01", True)
    assert pin_hash_matches("246810", data["pin_hash"]) and not pin_hash_matches("246811", data["pin_hash"])
    assert query(db, lambda s: s.get(StaffPin, "S-0001").pin_hash) == data["pin_hash"]
    assert "246810" not in str([c.data for c in feed(db, "staff")])
    run(capsys, "staff", "set-pin", "S-0001", "--pin-stdin", "--db", db, stdin="246810\n", monkeypatch=monkeypatch)
    assert feed(db, "staff")[-1].data["pin_hash"] != data["pin_hash"]  # a fresh salt every time


@pytest.mark.parametrize(("staff_id", "pin", "message"), [
    ("S-0001", "12345", "6-12 digits"),
    ("S-0001", "12345a", "6-12 digits"),
    ("S-0404", "246810", "S-0404"),
])
def test_staff_set_pin_refusals_exit_1_with_one_plain_line(capsys, db, monkeypatch, staff_id, pin, message):
    code, _, err = run(capsys, "staff", "set-pin", staff_id, "--pin-stdin", "--db", db, stdin=pin + "\n",
                       monkeypatch=monkeypatch)
    assert code == 1 and message in err and "Traceback" not in err
    assert feed(db, "staff") == []


def test_staff_list_shows_masked_names_roles_and_whether_a_pin_is_set(capsys, db, monkeypatch):
    run(capsys, "staff", "set-pin", "S-0002", "--pin-stdin", "--db", db, stdin="135790\n", monkeypatch=monkeypatch)
    code, out, _ = run(capsys, "staff", "list", "--db", db)
    assert code == 0
    assert out.splitlines() == ["S-0001\t周*燕\tstaff\tC-01\tno-pin", "S-0002\t吴*傅\ttechnician\tC-01\tpin"]
    assert "周晓燕" not in out
    assert run(capsys, "staff", "list", "--community", "C-99", "--db", db)[1] == ""


def test_kiosk_list_shows_the_latest_heartbeat_of_each_kiosk(capsys, db):
    quiet = new_kiosk(db, "C-01", "二楼")
    busy = new_kiosk(db, "C-01", "大厅")
    now = utc_now()
    beat = Heartbeat(version="0.2.0", sent_at=now, uptime_s=3600, queue=4, dead=1, paper="paper_out",
                     devices=[DeviceBeat(role="bp", driver="sim", state="ready"),
                              DeviceBeat(role="printer", driver="usb", state="error", reason_key="printer.paper_out")],
                     last_error="sync.offline")
    query(db, lambda s: record_heartbeat(s, busy, beat.model_copy(update={"queue": 9}), now=now - timedelta(minutes=5)))
    query(db, lambda s: record_heartbeat(s, busy, beat, now=now))
    code, out, _ = run(capsys, "kiosk", "list", "--db", db)
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert code == 0
    assert rows[busy][1:] == ["大厅", "C-01", "active", "v0.2.0", now.isoformat(timespec="seconds"), "queue=4+1dead",
                              "paper=paper_out", "bp:ready,printer:error(printer.paper_out)", "error=sync.offline"]
    assert rows[quiet][4:] == ["v0.1.0", rows[quiet][5], "queue=-", "paper=-", "-", "error=-"]


def test_only_the_newest_heartbeats_of_a_kiosk_are_kept(db):
    kiosk = new_kiosk(db, "C-01", "大厅")
    other = new_kiosk(db, "C-01", "二楼")
    start = utc_now()
    beat = Heartbeat(version="0.1.0", sent_at=start, uptime_s=0, queue=0, dead=0, paper="none")
    for n in range(12):
        query(db, lambda s, n=n: record_heartbeat(s, kiosk, beat.model_copy(update={"queue": n}),
                                                  now=start + timedelta(seconds=n), keep=10))
    query(db, lambda s: record_heartbeat(s, other, beat, now=start, keep=10))
    kept = query(db, lambda s: [h.data["queue"] for h in heartbeat_history(s, kiosk)])
    assert kept == list(range(11, 1, -1))
    assert len(query(db, lambda s: heartbeat_history(s, other))) == 1


def test_help_calls_go_to_the_kiosks_of_their_community_and_staff_close_them(capsys, db):
    here = new_kiosk(db, "C-01", "大厅")
    nearby = new_kiosk(db, "C-01", "二楼")
    elsewhere = new_kiosk(db, "C-02", "朱庙大厅")
    call_id = "A" * 32
    query(db, lambda s: open_call(s, call_id=call_id, kiosk_id=here, where="canteen", resident_id="R-000001",
                                  raised_at=utc_now()))
    changes = feed(db, "help_call")
    assert sorted(c.audience_kiosk_id for c in changes) == sorted([here, nearby])
    assert changes[0].data["kiosk_name"] == "大厅" and "resident_id" not in changes[0].data
    code, out, _ = run(capsys, "help", "list", "--db", db)
    assert code == 0 and out.startswith(f"{call_id}\topen\tC-01\t{here}\tcanteen\t")
    assert run(capsys, "help", "done", call_id.lower(), "--operator", "s-0001", "--db", db)[1].strip() == f"{call_id} done"
    closed = feed(db, "help_call")[-2:]
    assert {c.data["status"] for c in closed} == {"done"} and closed[0].data["closed_by"] == "staff:S-0001"
    assert run(capsys, "help", "list", "--db", db)[1] == ""
    assert call_id in run(capsys, "help", "list", "--all", "--db", db)[1]
    assert run(capsys, "help", "done", call_id, "--db", db)[1].strip() == f"{call_id} done"  # stays as it was
    assert len(feed(db, "help_call")) == 4
    code, _, err = run(capsys, "help", "done", "B" * 32, "--db", db)
    assert code == 1 and "B" * 32 in err
    assert elsewhere not in {c.audience_kiosk_id for c in feed(db, "help_call")}


def test_the_demo_seed_gives_every_staff_member_the_demo_pin(capsys, sqlite_url):
    from server.ops.staff import DEMO_PIN

    assert main(["seed-demo", "--db", sqlite_url]) == 0
    capsys.readouterr()
    _, out, _ = run(capsys, "staff", "list", "--db", sqlite_url)
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 7 and {r[4] for r in rows} == {"pin"} and {r[2] for r in rows} == {"staff", "technician"}
    entries = {c.key: c.data for c in feed(sqlite_url, "staff")}
    assert set(entries) == {r[0] for r in rows}
    assert all(pin_hash_matches(DEMO_PIN, data["pin_hash"]) for data in entries.values())
