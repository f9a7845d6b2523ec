""""Call staff": raised at one kiosk, seen by the other kiosks of its community, cancelled or closed."""

from __future__ import annotations

import pytest

from kiosk import events
from kiosk.help_calls import cancel_call, open_calls, raise_call
from kiosk.sync import outbox
from support.ops_world import new_enroll_code, on_server, ops_kiosk


def _server_call(db_url: str, call_id: str):  # noqa: ANN202
    from server.ops.models import HelpCall

    return on_server(db_url, lambda s: s.get(HelpCall, call_id))


@pytest.fixture
def kiosks(tmp_path, live, seed):
    from server.models import Community

    on_server(live.db_url, lambda s: s.merge(Community(id="C-02", sub_district_id="SD-CQ", name="朱庙社区")))
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "葛巷大厅") as hall, \
            ops_kiosk(tmp_path, live.url, new_enroll_code(live.db_url, "C-01"), "葛巷二楼") as upstairs, \
            ops_kiosk(tmp_path, live.url, new_enroll_code(live.db_url, "C-02"), "朱庙大厅") as other:
        yield hall, upstairs, other


def _sync(*kiosks) -> None:  # noqa: ANN002
    for kiosk in kiosks:
        kiosk.sync.relay.step()


def test_a_call_raised_here_is_seen_nearby_and_gone_when_the_resident_cancels(kiosks, live):
    hall, upstairs, other = kiosks
    seen: list[object] = []
    stop = events.help_calls_did_change.subscribe(seen.append)
    try:
        call_id = hall.database.write(lambda s: raise_call(s, "canteen", "R-000001"))
        assert hall.database.write(lambda s: raise_call(s, "home", None)) == call_id  # one open call per kiosk
        with hall.database.session() as s:
            [mine] = open_calls(s)
        assert (mine.call_id, mine.where, mine.status, mine.local) == (call_id, "canteen", "open", True)
        _sync(hall, upstairs, other)

        assert _server_call(live.db_url, call_id).status == "open"
        with upstairs.database.session() as s:
            [nearby] = open_calls(s)
        assert (nearby.call_id, nearby.kiosk_name, nearby.where, nearby.local) == (call_id, "葛巷大厅", "canteen", False)
        with other.database.session() as s:
            assert open_calls(s) == []  # another community's kiosk is not told
        assert upstairs.database in seen and other.database not in seen

        hall.database.write(lambda s: cancel_call(s, call_id, "resident"))
        with hall.database.session() as s:
            assert open_calls(s) == []
        _sync(hall, upstairs)
        server = _server_call(live.db_url, call_id)
        assert (server.status, server.closed_by) == ("cancelled", "resident")
        with upstairs.database.session() as s:
            assert open_calls(s) == []
    finally:
        stop()


def test_staff_at_a_nearby_kiosk_close_the_call_and_the_calling_kiosk_learns_it(kiosks, live):
    hall, upstairs, _ = kiosks
    call_id = hall.database.write(lambda s: raise_call(s, "health", None))
    _sync(hall, upstairs)
    upstairs.database.write(lambda s: cancel_call(s, call_id, "staff:S-0001"))
    _sync(upstairs)
    server = _server_call(live.db_url, call_id)
    assert (server.status, server.closed_by) == ("done", "staff:S-0001")
    with hall.database.session() as s:
        assert [c.status for c in open_calls(s)] == ["open"]  # not pulled yet
    _sync(hall)
    with hall.database.session() as s:
        assert open_calls(s) == []
    hall.database.write(lambda s: cancel_call(s, call_id, "resident"))  # already closed: nothing queued
    with hall.database.session() as s:
        assert outbox.pending_count(s) == 0
    new_id = hall.database.write(lambda s: raise_call(s, "home", None))
    assert new_id != call_id


def test_a_kiosk_of_another_community_cannot_close_the_call(kiosks, live):
    hall, _, other = kiosks
    call_id = hall.database.write(lambda s: raise_call(s, "home", None))
    _sync(hall)
    from kiosk.staff.models import HelpCallRow
    from kiosk.storage.column_types import utc_now

    # A forged local row: the other kiosk never learned of the call, the server must still refuse it.
    other.database.write(lambda s: s.add(HelpCallRow(call_id=call_id, kiosk_name="?", where="home", raised_at=utc_now(),
                                                     status="open", local=False)))
    other.database.write(lambda s: cancel_call(s, call_id, "staff:S-0009"))
    _sync(other)
    with other.database.session() as s:
        [dead] = outbox.dead_letters(s)
    assert (dead.kind, dead.error) == ("help.cancel", "help.other_community")
    assert _server_call(live.db_url, call_id).status == "open"


def test_bad_cancel_requests_are_refused_before_anything_is_queued(kiosks):
    hall, _, _ = kiosks
    call_id = hall.database.write(lambda s: raise_call(s, "home", None))
    with pytest.raises(ValueError):
        hall.database.write(lambda s: cancel_call(s, call_id, "somebody"))
    with pytest.raises(LookupError):
        hall.database.write(lambda s: cancel_call(s, "F" * 32, "resident"))
    with hall.database.session() as s:
        assert [r.kind for r in outbox.next_batch(s, 10)] == ["help.call"]


def test_the_ui_helpers_commit_then_wake_the_relay_and_tell_staff_views(kiosks, live):
    from kiosk.help_calls import cancel_call_async, raise_call_async

    hall, _, _ = kiosks
    seen: list[object] = []
    stop = events.help_calls_did_change.subscribe(seen.append)
    try:
        call_id = raise_call_async(hall, "requests", "R-000002").result(10)
        assert seen == [hall.database]  # told before the Future completed
        hall.sync.relay.step()  # pushes it, then pulls the server's view of it: told again
        assert _server_call(live.db_url, call_id).where == "requests" and len(seen) == 2
        assert cancel_call_async(hall, call_id, "resident").result(10) is None and len(seen) == 3
        with pytest.raises(LookupError):
            cancel_call_async(hall, "0" * 32, "resident").result(10)
        assert len(seen) == 3  # nothing changed: nobody told
    finally:
        stop()
