"""Open311 GeoReport v2 over real HTTP with `requests`: services, form-encoded POST, queries and
the [{code, description}] errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from kiosk.protocol import valid_tracking_number
from server.db import make_engine, make_sessionmaker, utc_now
from server.models import Building, Unit
from server.request_admin import create_open311_client, update_status
from server.requests.catalog import seed_catalog
from server.txn import in_transaction
from tests.server.server_helpers import TIMEOUT_S


def run(url: str, fn):  # noqa: ANN001, ANN201
    engine = make_engine(url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


@pytest.fixture
def o311(live):  # noqa: ANN001, ANN201
    def places(session) -> None:  # noqa: ANN001
        session.add(Building(id="C-01-B03", community_id="C-01", name="3幢"))
        session.flush()
        session.add(Unit(id="C-01-B03-0301", building_id="C-01-B03", name="301室"))
        session.flush()
        seed_catalog(session, now=utc_now())

    run(live.db_url, places)
    _client, key = run(live.db_url, lambda s: create_open311_client(s, "dashboard", now=utc_now()))
    live.api_key = key
    live.o311 = live.server.base_url + "/open311/v2"
    return live


def post(live, **form):  # noqa: ANN001, ANN003, ANN201
    return requests.post(live.o311 + "/requests.json", data=form, timeout=TIMEOUT_S)


def get(live, path: str, **params):  # noqa: ANN001, ANN003, ANN201
    return requests.get(live.o311 + path, params=params, timeout=TIMEOUT_S)


def error_of(response) -> tuple[int, list]:  # noqa: ANN001
    body = response.json()
    assert isinstance(body, list) and set(body[0]) == {"code", "description"} and body[0]["description"]
    return response.status_code, [e["code"] for e in body]


def test_services_list_the_active_categories_with_their_phrases_as_an_attribute(o311):
    services = get(o311, "/services.json")
    assert services.status_code == 200 and services.headers["content-type"].startswith("application/json")
    listed = services.json()
    assert len(listed) == 10 and listed[0]["service_code"] == "repair" and listed[0]["service_name"] == "报修"
    assert {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} <= set(listed[0])
    assert get(o311, "/services.json", lang="en").json()[5]["service_name"] == "Safety hazard"
    definition = get(o311, "/services/safety_hazard.json").json()
    attribute = definition["attributes"][0]
    assert definition["service_code"] == "safety_hazard" and attribute["datatype"] == "multivaluelist"
    assert {"key": "fire_lane_blocked", "name": "消防通道堵塞"} in attribute["values"]
    assert error_of(get(o311, "/services/nope.json")) == (404, [404])
    assert error_of(get(o311, "/services.json", jurisdiction_id="XX")) == (404, [404])
    assert get(o311, "/services.json", jurisdiction_id="SD-CQ").status_code == 200


def test_a_form_encoded_post_files_a_request_that_reads_back_by_id(o311):
    answer = post(o311, api_key=o311.api_key, service_code="repair", address_id="C-01-B03-0301",
                  description="厨房水管漏水", device_id="dash-1", account_id="ext-77",
                  **{"attribute[phrases][]": ["water_leak"]})
    assert answer.status_code == 201, answer.text
    [created] = answer.json()
    number = created["service_request_id"]
    assert valid_tracking_number(number) and number.startswith("OS-") and created["account_id"] == "ext-77"
    [item] = get(o311, f"/requests/{number}.json", api_key=o311.api_key).json()
    assert item["status"] == "open" and item["service_code"] == "repair" and item["service_name"] == "报修"
    assert item["address"] == "葛巷社区 3幢 1单元 301室" and item["address_id"] == "C-01-B03-0301"
    assert item["description"] == "厨房水管漏水" and item["agency_responsible"] == "物业服务中心"
    assert item["expected_datetime"] is not None and item["requested_datetime"] <= item["updated_datetime"]
    public = get(o311, f"/requests/{number}.json").json()[0]
    assert "description" not in public  # residents' words only for key holders
    second = post(o311, api_key=o311.api_key, service_code="noise", lat="30.29", long="119.97",
                  description="夜里施工").json()[0]["service_request_id"]
    assert second != number and int(second[10:14]) == int(number[10:14]) + 1
    [located] = get(o311, f"/requests/{second}.json").json()
    assert (located["lat"], located["long"]) == (30.29, 119.97)


REFUSED_POSTS = [
    ({"service_code": "repair", "address_string": "3幢"}, 403),
    ({"api_key": "wrong"}, 403),
    ({"api_key": "KEY", "address_string": "3幢"}, 400),
    ({"api_key": "KEY", "service_code": "nope", "address_string": "3幢"}, 404),
    ({"api_key": "KEY", "service_code": "repair"}, 400),
    ({"api_key": "KEY", "service_code": "repair", "lat": "30.2"}, 400),
    ({"api_key": "KEY", "service_code": "repair", "lat": "north", "long": "1"}, 400),
    ({"api_key": "KEY", "service_code": "repair", "address_id": "NOWHERE"}, 400),
    ({"api_key": "KEY", "service_code": "repair", "address_string": "3幢", "description": "漏" * 4001}, 400),
    ({"api_key": "KEY", "service_code": "repair", "address_string": "3幢", "media_url": "file:///etc/x"}, 400),
    ({"api_key": "KEY", "service_code": "repair", "address_string": "3幢", "attribute[phrases][]": "bogus"}, 400),
]


def test_a_post_that_cannot_be_filed_answers_the_open311_error_format_and_files_nothing(o311):
    for form, status in REFUSED_POSTS:
        form = {k: (o311.api_key if v == "KEY" else v) for k, v in form.items()}
        assert error_of(post(o311, **form)) == (status, [status]), form
    assert get(o311, "/requests.json").json() == []


def test_a_description_of_exactly_4000_characters_is_accepted(o311):
    answer = post(o311, api_key=o311.api_key, service_code="repair", address_string="3幢", description="漏" * 4000)
    assert answer.status_code == 201


def test_a_json_body_is_refused_with_400(o311):
    answer = requests.post(o311.o311 + "/requests.json", json={"api_key": o311.api_key, "service_code": "repair"},
                           timeout=TIMEOUT_S)
    assert error_of(answer) == (400, [400])


def test_requests_query_filters_by_status_code_dates_and_ids(o311):
    numbers = [post(o311, api_key=o311.api_key, service_code=code, address_string="葛巷社区").json()[0]
               ["service_request_id"] for code in ("repair", "noise", "repair")]
    for status in ("accepted", "in_progress", "resolved"):
        run(o311.db_url, lambda s, st=status: update_status(s, numbers[0], st, note="已修复", actor="S-0001",
                                                           now=utc_now()))
    ids = lambda response: sorted(i["service_request_id"] for i in response.json())  # noqa: E731
    assert ids(get(o311, "/requests.json")) == sorted(numbers)
    assert ids(get(o311, "/requests.json", status="closed")) == [numbers[0]]
    assert ids(get(o311, "/requests.json", status="open")) == sorted(numbers[1:])
    assert ids(get(o311, "/requests.json", service_code="repair")) == sorted([numbers[0], numbers[2]])
    assert ids(get(o311, "/requests.json", service_request_id=f"{numbers[1]},{numbers[2]}")) == sorted(numbers[1:])
    tomorrow = (utc_now() + timedelta(days=1)).isoformat()
    assert ids(get(o311, "/requests.json", start_date=tomorrow)) == []
    assert ids(get(o311, "/requests.json", end_date=tomorrow)) == sorted(numbers)
    closed = get(o311, f"/requests/{numbers[0]}.json").json()[0]
    assert closed["status"] == "closed" and closed["status_notes"] == "已修复"
    assert error_of(get(o311, "/requests.json", start_date="yesterday")) == (400, [400])
    assert error_of(get(o311, "/requests.json", status="pending")) == (400, [400])
    assert error_of(get(o311, "/requests.json", api_key="wrong")) == (403, [403])


def test_unknown_requests_paths_and_formats_answer_open311_errors(o311):
    assert error_of(get(o311, "/requests/OS-260101-00010.json")) == (404, [404])
    assert error_of(get(o311, "/services.xml")) == (400, [400])
    assert error_of(get(o311, "/nothing-here")) == (404, [404])
