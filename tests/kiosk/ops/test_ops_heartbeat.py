"""Heartbeat: version, devices, paper, queue and last error reach the server over real HTTP."""

from __future__ import annotations

import time

import pytest
import requests

from kiosk import __version__
from kiosk.heartbeat import HeartbeatSender, build_heartbeat, paper_status
from kiosk.protocol import API_PREFIX
from kiosk.sync import outbox
from support.live_server import COUNT_KIND
from support.ops_world import on_server, ops_kiosk

DEVICES = {"printer": {"driver": "sim", "fault": "near_end"}, "bp": {"driver": "sim"},
           "scale": {"driver": "no-such-driver"}}


def _latest(db_url: str, kiosk_id: str) -> dict:
    from server.ops.heartbeat import latest_heartbeats

    return on_server(db_url, lambda s: dict(latest_heartbeats(s)[kiosk_id].data))


def test_a_heartbeat_reaches_the_server_with_queue_paper_devices_and_version(tmp_path, live, seed):
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "大厅一号", DEVICES) as kiosk:
        for n in range(3):
            kiosk.database.write(lambda s, n=n: outbox.enqueue(s, COUNT_KIND, {"n": n}))
        sender = HeartbeatSender(kiosk)
        answer = sender.beat()
        assert answer is not None and sender.sent == 1
        kiosk_id = kiosk.sync.client.credentials[0]
        beat = _latest(live.db_url, kiosk_id)
        assert (beat["version"], beat["queue"], beat["dead"], beat["paper"]) == (__version__, 3, 0, "near_end")
        states = {d["role"]: (d["driver"], d["state"], d["reason_key"]) for d in beat["devices"]}
        assert states["printer"][:2] == ("sim", "ready") and states["printer"][2] == "printer.paper_near_end"
        assert states["scale"] == ("no-such-driver", "error", "device_hub.cannot_create")
        assert beat["last_error"] == "device_hub.cannot_create"

        kiosk.sync.relay.step()  # the queue is delivered; the next beat says so
        sender.beat()
        assert _latest(live.db_url, kiosk_id)["queue"] == 0

        from server.ops.heartbeat import heartbeat_history
        from server.models import Kiosk

        history = on_server(live.db_url, lambda s: [h.data["queue"] for h in heartbeat_history(s, kiosk_id)])
        assert history == [0, 3]
        assert on_server(live.db_url, lambda s: s.get(Kiosk, kiosk_id).version) == __version__


def test_the_heartbeat_thread_beats_at_start_and_stops_cleanly(tmp_path, live, seed):
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "大厅二号") as kiosk:
        sender = HeartbeatSender(kiosk).start()
        try:
            deadline = time.monotonic() + 20
            while sender.sent == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert sender.sent == 1  # the next one waits for ops.heartbeat_interval_s
        finally:
            sender.stop()
        assert _latest(live.db_url, kiosk.sync.client.credentials[0])["paper"] == "none"


def test_a_heartbeat_without_kiosk_credentials_is_refused(live):
    beat = {"version": "1", "sent_at": "2026-11-21T09:00:00Z", "uptime_s": 1, "queue": 0, "dead": 0,
            "paper": "none", "devices": []}
    answer = requests.post(live.url + API_PREFIX + "/heartbeat", json=beat, timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "auth.unknown_kiosk"


def test_an_unreachable_server_is_remembered_not_raised(tmp_path, live, seed):
    with ops_kiosk(tmp_path, live.url, seed["enroll_code"], "大厅三号") as kiosk:
        kiosk.sync.client.base_url = "http://127.0.0.1:9"  # nothing listens on the discard port
        sender = HeartbeatSender(kiosk)
        assert sender.beat() is None
        assert sender.last_failure == "sync.offline" and sender.sent == 0


@pytest.mark.parametrize(("devices", "expected"), [
    ({}, "none"),
    ({"printer": {"driver": "sim", "fault": "paper_out"}}, "paper_out"),
    ({"printer": {"driver": "sim"}}, "ok"),
    ({"printer": {"driver": "dummy"}}, "unknown"),  # a transport that cannot read status
])
def test_paper_status_asks_a_printer_that_can_answer(tmp_path, devices, expected):
    from support.kiosk_world import kiosk_runtime

    with kiosk_runtime(tmp_path, devices) as runtime:
        assert paper_status(runtime.devices) == expected
        assert build_heartbeat(runtime, time.monotonic()).paper == expected


def test_a_started_kiosk_core_beats_and_takes_pushed_settings_on_its_own(live, seed):
    from kiosk.config import load
    from kiosk.runtime import start_runtime
    from server.db import utc_now
    from server.kiosk_config import set_setting

    on_server(live.db_url, lambda s: set_setting(s, "session.idle_timeout_s", 99, now=utc_now()))
    config = load(None)
    config.server.url, config.server.enrollment_code = live.url, seed["enroll_code"]
    config.voice.backend = "null"
    runtime = start_runtime(config, speech=False, database=True, logs=False)
    try:
        assert runtime.wait_for_sync_start(60) and runtime.sync is not None
        deadline = time.monotonic() + 30
        while (runtime.heartbeat.sent == 0 or runtime.config.session.idle_timeout_s != 99) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runtime.heartbeat.sent >= 1 and runtime.config.session.idle_timeout_s == 99.0
        assert _latest(live.db_url, runtime.sync.client.credentials[0])["version"] == __version__
    finally:
        runtime.close()
    assert runtime.heartbeat is None
