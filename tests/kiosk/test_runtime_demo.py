"""`kiosk demo`'s core: the loopback reference server starts, the kiosk enrolls itself and syncs."""

from __future__ import annotations

import requests

from kiosk import events
from kiosk.config import load
from kiosk.runtime import start_runtime


def _demo_config():
    config = load(None)
    config.kiosk.demo = True
    return config


def test_demo_starts_its_server_enrolls_and_comes_online(tmp_path):
    statuses: list[events.SyncStatus] = []
    unsubscribe = events.sync_status_did_change.subscribe(statuses.append)
    runtime = start_runtime(_demo_config(), speech=False, database=True, logs=False)
    try:
        assert runtime.wait_for_sync_start(120)
        assert runtime.demo_server is not None and runtime.demo_server.running
        assert runtime.config.server.url.startswith("http://127.0.0.1:")
        status = runtime.sync.relay.sync_now().result(timeout=60)
        assert (status.online, status.refused) == (True, None)
        health = requests.get(runtime.config.server.url + "/api/v1/health", timeout=5).json()
        assert health["status"] == "ok"
        server = runtime.demo_server
    finally:
        unsubscribe()
        runtime.close()
    assert not server.running  # closing the kiosk stops its demo server
    assert any(s.online for s in statuses)


def test_a_second_demo_start_reuses_the_seeded_server_and_the_enrollment(tmp_path):
    first = start_runtime(_demo_config(), speech=False, database=True, logs=False)
    try:
        assert first.wait_for_sync_start(120)
        from kiosk.sync.enrollment import load_credentials

        kiosk_id = load_credentials(first.database).kiosk_id
    finally:
        first.close()
    second = start_runtime(_demo_config(), speech=False, database=True, logs=False)
    try:
        assert second.wait_for_sync_start(120)
        assert load_credentials(second.database).kiosk_id == kiosk_id
        assert second.sync.relay.sync_now().result(timeout=60).online
    finally:
        second.close()


def test_the_demo_scanner_presents_a_real_card_of_an_elderly_demo_resident(tmp_path):
    import threading

    from kiosk import residents
    from kiosk.device_admin import with_demo_devices

    runtime = start_runtime(with_demo_devices(_demo_config()), speech=False, database=True, logs=False)
    try:
        assert runtime.wait_for_sync_start(180)
        runtime.sync.relay.sync_now().result(timeout=60)  # the signing key and the directory
        scanner = runtime.devices.get("scanner")
        got: list[str] = []
        seen = threading.Event()
        scanner.subscribe(lambda result: (got.append(result.payload), seen.set()))
        scanner.open()
        assert seen.wait(30)
        with runtime.database.session() as s:
            who = residents.identify(s, got[0])
        assert who.masked_name and who.age() >= 80
    finally:
        runtime.close()
