"""start_sync wires client, relay and wallet from [server]; close() leaves no thread behind."""

from __future__ import annotations

from kiosk.config import KioskConfig, load
from kiosk.sync.service import start_sync
from support.http_faults import wait_until
from support.sync_fixtures import award_points


def test_no_server_url_means_no_sync(kiosk_db):
    assert start_sync(KioskConfig(), kiosk_db) is None


def test_the_default_config_documents_every_server_setting():
    server = load().server
    assert (server.push_batch, server.backoff_cap_s, server.backoff_base_s) == (200, 300.0, 1.0)
    assert server.ca_bundle == "" and server.deadline_s >= server.read_timeout_s


def test_a_configured_kiosk_enrolls_spends_and_syncs_through_the_service(live, kiosk_db, seed):
    config = KioskConfig.model_validate({"server": {"url": live.url, "pull_interval_s": 600}})
    service = start_sync(config, kiosk_db)
    try:
        assert wait_until(lambda: service.relay.status.refused == "sync.not_enrolled", 5)
        service.enroll(seed["enroll_code"], "k")
        assert wait_until(lambda: service.relay.status.online, 5)
        payer = seed["residents"][0]
        award_points(live.db_url, payer, 500)
        service.wallet.ensure_reserve(payer, 200)
        service.wallet.spend(payer, payer, 50, "canteen", "canteen:C-01")  # wakes the relay
        assert wait_until(lambda: service.relay.status.pending == 0 and service.relay.status.online, 5)
        assert service.relay.status.refused is None
    finally:
        service.close()
