"""`kiosk-server health alerts | observations | alert-done` on a database the HTTP API filled."""

from __future__ import annotations

from server.cli import main
from tests.server.health.health_helpers import RESIDENT, bp, check_payload, check_record, consent_record, spo2


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, [line for line in out.out.splitlines() if line], out.err


def test_the_doctor_lists_follows_up_and_closes_alerts(live, capsys):
    _, headers = live.enroll()
    alarming = check_payload([bp(182, 112, 90)])
    calm = check_payload([spo2(97)])
    low = check_payload([spo2(87)], resident_id="R-000002")
    r = live.push(headers, [consent_record(), consent_record("R-000002"), check_record(alarming),
                            check_record(calm), check_record(low)])
    assert [x["outcome"] for x in r.json()["results"]] == ["applied"] * 5
    db = ["--db", live.db_url]

    code, lines, _ = run(capsys, "health", "alerts", "--open", *db)
    assert code == 0 and len(lines) == 2
    first = lines[0].split("\t")
    assert first[1:2] + first[3:] == ["open", RESIDENT, "王*国", alarming["check_id"], "bp.grade3"]
    assert lines[1].split("\t")[3:] == ["R-000002", "李*英", low["check_id"], "spo2.see_doctor"]

    code, lines, _ = run(capsys, "health", "alert-done", first[0], "--note", "phoned, visiting tomorrow", *db)
    assert (code, lines) == (0, [f"alert {first[0]} done"])
    code, lines, _ = run(capsys, "health", "alerts", "--open", *db)
    assert [line.split("\t")[5] for line in lines] == [low["check_id"]]
    code, lines, _ = run(capsys, "health", "alerts", *db)
    assert [line.split("\t")[1] for line in lines] == ["done", "open"]

    code, _, err = run(capsys, "health", "alert-done", first[0], *db)
    assert code == 1 and "already done" in err
    code, _, err = run(capsys, "health", "alert-done", "999", *db)
    assert code == 1 and "unknown alert 999" in err


def test_observations_of_a_resident_are_listed_in_time_order(live, capsys):
    _, headers = live.enroll()
    payload = check_payload([bp(135, 85, 72), spo2(96, 70)])
    live.push(headers, [consent_record(), check_record(payload)])
    code, lines, _ = run(capsys, "health", "observations", RESIDENT, "--db", live.db_url)
    assert code == 0
    rows = [line.split("\t") for line in lines]
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("85354-9", "135/85 mm[Hg]", "bp.high_normal", "H"),
        ("8867-4", "72 /min", "pulse.normal", "N"),
        ("2708-6", "96 %", "spo2.normal", "N"),
        ("8867-4", "70 /min", "pulse.normal", "N"),
    ]
    assert {r[1] for r in rows} == {payload["check_id"]} and rows[0][0] == "2026-03-05 10:30"
    code, lines, _ = run(capsys, "health", "observations", "R-000003", "--db", live.db_url)
    assert (code, lines) == (0, [])
