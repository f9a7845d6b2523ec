"""The request workflow on PostgreSQL: parallel Open311 posts get distinct numbers, and a hazard
confirmed while the resident rates gives its points once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import select

from kiosk.protocol import valid_tracking_number
from server.db import make_engine, make_sessionmaker, utc_now
from server.ledger.models import LedgerTx
from server.request_admin import create_open311_client
from server.requests import workflow
from server.requests.catalog import seed_catalog
from server.txn import in_transaction
from requests_server_helpers import T0
from tests.server.server_helpers import TIMEOUT_S


def run(url: str, fn):  # noqa: ANN001, ANN201
    engine = make_engine(url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


def test_parallel_open311_posts_on_postgresql_get_distinct_valid_numbers(live_pg):
    run(live_pg.db_url, lambda s: seed_catalog(s, now=utc_now()))
    _client, key = run(live_pg.db_url, lambda s: create_open311_client(s, "board", now=utc_now()))
    url = live_pg.server.base_url + "/open311/v2/requests.json"

    def post(i: int) -> requests.Response:
        return requests.post(url, data={"api_key": key, "service_code": "repair", "address_string": f"{i}幢"},
                             timeout=TIMEOUT_S)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(16)))
    assert [a.status_code for a in answers] == [201] * 16, [a.text for a in answers if a.status_code != 201]
    numbers = [a.json()[0]["service_request_id"] for a in answers]
    assert len(set(numbers)) == 16 and all(valid_tracking_number(n) for n in numbers)


def test_hazard_points_are_given_once_on_postgresql(db_pg):
    db_pg.run(lambda s: workflow.new_request(
        s, tracking_no="PG-1", category="safety_hazard", location="葛巷社区", description="电线老化",
        resident_id="R-000002", kiosk_id="K-PG", created_at=T0, now=T0))
    for status in ("accepted", "in_progress", "resolved"):
        db_pg.run(lambda s, st=status: workflow.transition(s, "PG-1", st, actor="S-0001", operator_id="S-0001", now=T0))
    db_pg.run(lambda s: workflow.rate(s, "PG-1", 1, "没处理好", resident_id="R-000002", acted_at=T0, now=T0))
    db_pg.run(lambda s: workflow.transition(s, "PG-1", "accepted", actor="S-0001", now=T0))
    awards = db_pg.run(lambda s: s.scalars(select(LedgerTx.amount).where(LedgerTx.rule == "request_hazard")).all())
    assert awards == [20]
