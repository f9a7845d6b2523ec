"""The help desk over the real server: look-up by phone digits or family, and points awards with the operator."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.protocol import RecordKind
from kiosk.staff import lookup
from kiosk.staff.awards import build_award, queue_award
from kiosk.staff.sync_health import retry_dead, sync_health
from kiosk.sync import outbox
from support.ops_world import on_server, ops_kiosk


@pytest.fixture
def desk(tmp_path, live, seed):
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "葛巷大厅") as runtime:
        yield runtime


def _ledger(db_url: str, resident_id: str) -> list[tuple]:
    from sqlalchemy import select

    from server.ledger.models import LedgerTx

    return on_server(db_url, lambda s: [
        (t.kind, t.amount, t.operator_kind, t.operator_id, t.category, t.reason, t.hours, t.rule)
        for t in s.scalars(select(LedgerTx).where(LedgerTx.resident_id == resident_id).order_by(LedgerTx.id))])


def test_staff_find_a_resident_by_phone_digits_and_see_masked_names_only(desk):
    client = lookup.client_of(desk)
    found, more = lookup.by_phone(client, "S-0001", "0001")
    assert [(r.resident_id, r.masked_name, r.family_id) for r in found] == [("R-000001", "王*国", "F-0001")]
    assert not more
    assert lookup.by_phone(client, "S-0001", "0001", "王")[0] == found  # the surname narrows, still found
    assert lookup.by_phone(client, "S-0001", "0001", "王建国")[0] == found
    assert lookup.by_phone(client, "S-0001", "0001", "李")[0] == []  # digits and name must both match
    assert lookup.by_phone(client, "S-0001", "9999")[0] == []
    family = lookup.family(client, "S-0001", "R-000001")
    assert [(r.resident_id, r.masked_name) for r in family] == [("R-000001", "王*国"), ("R-000002", "李*英")]
    assert all("建" not in r.masked_name and "秀" not in r.masked_name for r in family)


def test_the_answer_never_carries_a_phone_or_full_name(desk, live):
    import requests

    from kiosk.protocol import API_PREFIX, auth_header

    answer = requests.post(f"{live.url}{API_PREFIX}/staff/lookup", timeout=10,
                           json={"operator_id": "S-0001", "phone_last4": "0002"},
                           headers=auth_header(*desk.sync.client.credentials))
    assert answer.status_code == 200
    text = answer.text
    assert "李*英" in text and "13800000002" not in text and "李秀英" not in text and "phone" not in text


def test_only_staff_of_the_kiosks_community_may_look_up_and_bad_input_says_why(desk):
    client = lookup.client_of(desk)
    for operator in ("S-0002", "S-9999"):  # a technician, an unknown id
        with pytest.raises(lookup.LookupFailed) as refused:
            lookup.by_phone(client, operator, "0001")
        assert refused.value.key == "staff.not_allowed"
    with pytest.raises(lookup.LookupFailed) as refused:
        lookup.family(client, "S-0001", "R-404404")
    assert refused.value.key == "staff.resident_unknown"
    with pytest.raises(lookup.LookupFailed) as refused:
        lookup.by_phone(client, "S-0001", "12a4")
    assert refused.value.key == "staff.lookup_digits"
    with pytest.raises(lookup.LookupFailed) as refused:
        lookup.by_phone(None, "S-0001", "0001")  # no server configured
    assert refused.value.key == "staff.lookup_needs_server"
    from support.sync_fixtures import make_client

    unreachable = make_client("http://127.0.0.1:9", credentials=desk.sync.client.credentials)
    try:
        with pytest.raises(lookup.LookupFailed) as refused:
            lookup.by_phone(unreachable, "S-0001", "0001")
        assert refused.value.key == "staff.lookup_offline"  # not "saved, sent later": a look-up is not queued
    finally:
        unreachable.close()


def test_many_matches_are_cut_and_the_desk_is_told_to_add_the_name(desk, live):
    from server.residents import add_resident

    def add(session) -> None:  # noqa: ANN001
        for n in range(10):
            add_resident(session, name=f"赵{n}", birth_date=date(1950, 1, 1), phone=f"139{n:04d}0077",
                         community_id="C-01", resident_id=f"R-0777{n:02d}")

    on_server(live.db_url, add)
    found, more = lookup.by_phone(lookup.client_of(desk), "S-0001", "0077")
    assert len(found) == 8 and more
    found, more = lookup.by_phone(lookup.client_of(desk), "S-0001", "0077", "赵3")
    assert [r.resident_id for r in found] == ["R-077703"] and not more


def test_an_award_reaches_the_ledger_with_the_staff_member_as_operator(desk, live):
    award = build_award("R-000003", "governance", "patrol", 3.0)
    desk.database.write(lambda s: queue_award(s, award, "S-0001"))
    desk.sync.relay.step()
    assert _ledger(live.db_url, "R-000003") == [("award", 30, "staff", "S-0001", "governance", "patrol", 3.0,
                                                 "staff_award")]
    with desk.database.session() as s:
        assert sync_health(s).pending == 0 and sync_health(s).dead_total == 0


def test_awards_the_server_refuses_are_dead_letters_that_a_retry_cannot_double(desk, live):
    by_technician = build_award("R-000002", "harmony", "helping_neighbours", 1.0)
    desk.database.write(lambda s: queue_award(s, by_technician, "S-0002"))
    wrong_points = build_award("R-000002", "harmony", "helping_neighbours", 1.0).model_dump(mode="json")
    wrong_points["points"] = 11  # the kiosk showed a number the server's rule does not give
    desk.database.write(lambda s: outbox.enqueue(s, RecordKind.POINTS_AWARD.value, wrong_points, "S-0001"))
    unknown = build_award("R-404404", "harmony", "patrol", 1.0)
    desk.database.write(lambda s: queue_award(s, unknown, "S-0001"))
    desk.sync.relay.step()
    with desk.database.session() as s:
        health = sync_health(s)
    assert [i.error for i in health.dead] == ["staff.not_allowed", "points.award_mismatch", "staff.resident_unknown"]
    assert _ledger(live.db_url, "R-000002") == []
    assert desk.database.write(retry_dead) == 3
    desk.sync.relay.step()
    with desk.database.session() as s:
        assert sync_health(s).dead_total == 3  # refused again with the same keys: nothing applied
    assert _ledger(live.db_url, "R-000002") == []
