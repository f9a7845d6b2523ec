"""health.consent and health.observations over real HTTP: stored, validated, flagged, refused."""

from __future__ import annotations

import copy
import uuid


from tests.server.health.health_helpers import (
    RESIDENT,
    alerts,
    bp,
    check_payload,
    check_record,
    consent_record,
    spo2,
    table_counts,
)


def results(live, headers, records) -> list[dict]:
    r = live.push(headers, records)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_consent_then_a_normal_check_is_stored_without_alert(live):
    _, headers = live.enroll()
    payload = check_payload([bp(), spo2()])
    consent, check = results(live, headers, [consent_record(), check_record(payload)])
    assert (consent["outcome"], consent["result"]) == ("applied", {"resident_id": RESIDENT, "granted": True})
    assert check["outcome"] == "applied"
    assert check["result"] == {"check_id": payload["check_id"], "alert": False, "observations": 4}
    assert table_counts(live.db_url) == {"health_consent": 1, "health_check": 1, "health_observation": 4,
                                         "health_alert": 0}


def test_values_in_the_alert_range_go_on_the_doctors_follow_up_list(live):
    _, headers = live.enroll()
    payload = check_payload([bp(165, 102, 88), spo2(88)])
    [_, check] = results(live, headers, [consent_record(), check_record(payload)])
    assert check["result"]["alert"] is True
    assert alerts(live.db_url) == [(payload["check_id"], "open", ["bp.grade2", "spo2.see_doctor"])]


def test_attention_values_below_the_alert_rules_are_not_flagged(live):
    _, headers = live.enroll()
    [_, check] = results(live, headers, [consent_record(), check_record(check_payload([bp(145, 92), spo2(92)]))])
    assert check["result"]["alert"] is False
    assert alerts(live.db_url) == []


def test_observations_without_consent_in_force_are_rejected_and_nothing_is_kept(live):
    _, headers = live.enroll()
    histories = {"R-000001": [], "R-000002": [False], "R-000003": [True, False]}  # never, declined, withdrawn
    for resident, decisions in histories.items():
        for granted in decisions:
            results(live, headers, [consent_record(resident, granted=granted)])
        [check] = results(live, headers, [check_record(check_payload([bp(170, 100)], resident_id=resident))])
        assert (check["outcome"], check["status_code"], check["error"]["code"]) == (
            "rejected", 403, "health.no_consent"), resident
    counts = table_counts(live.db_url)
    assert (counts["health_check"], counts["health_observation"], counts["health_alert"]) == (0, 0, 0)


def _broken(mutate) -> dict:
    payload = check_payload([bp(), spo2()])
    mutate(payload["observations"])
    return payload


BROKEN = [  # (how the kiosk's Observations are spoiled, index of the bad one, the problem named)
    (lambda obs: obs[1].pop("status"), 1, "does not validate as FHIR R4 Observation"),
    (lambda obs: obs[2].update(valueQuantity={"value": "lots", "code": "%", "system": "http://unitsofmeasure.org"}),
     2, "does not validate as FHIR R4 Observation"),
    (lambda obs: obs[0].update(unknownField=1), 0, "does not validate as FHIR R4 Observation"),
    (lambda obs: obs[0].update(status="bogus"), 0, "status 'bogus' is not a result"),
    (lambda obs: obs[2]["valueQuantity"].update(code="[%]"), 2, "2708-6 must be in UCUM %"),
    (lambda obs: obs[3].update(category=[{"text": "lab"}]), 3, "category vital-signs is missing"),
    (lambda obs: obs[1]["code"]["coding"][0].update(code="1234-5"), 1, "no known LOINC code"),
    (lambda obs: obs[0]["component"].pop(1), 0, "blood pressure panel needs systolic and diastolic components"),
    (lambda obs: obs[1].update(effectiveDateTime="2026-03-05"), 1,
     "effectiveDateTime must be a date and time with a zone"),
    (lambda obs: obs.__setitem__(1, {"resourceType": "Patient", "id": "x"}), 1, "not an Observation resource"),
]


def test_an_invalid_observation_rejects_the_whole_check_with_a_clear_code(live):
    _, headers = live.enroll()
    results(live, headers, [consent_record()])
    for mutate, index, problem in BROKEN:
        [check] = results(live, headers, [check_record(_broken(mutate))])
        assert (check["outcome"], check["status_code"], check["error"]["code"]) == (
            "rejected", 422, "health.invalid_fhir"), problem
        assert (check["error"]["params"]["index"], check["error"]["params"]["problem"]) == (index, problem)
    assert table_counts(live.db_url)["health_observation"] == 0


def test_schema_errors_name_the_fields(live):
    _, headers = live.enroll()
    results(live, headers, [consent_record()])
    [check] = results(live, headers, [check_record(_broken(lambda obs: obs[1].pop("status")))])
    assert check["error"]["params"]["fields"] == ["status"]


def test_an_observation_about_someone_else_is_rejected(live):
    _, headers = live.enroll()
    results(live, headers, [consent_record()])
    payload = check_payload([bp()], resident_id="R-000002")
    payload["resident_id"] = RESIDENT
    [check] = results(live, headers, [check_record(payload)])
    assert check["error"]["code"] == "health.subject_mismatch"


def test_a_malformed_record_is_rejected_as_invalid(live):
    _, headers = live.enroll()
    results(live, headers, [consent_record()])
    for mutate in (lambda p: p.update(check_id=p["check_id"].lower()), lambda p: p.update(observations=[]),
                   lambda p: p.pop("resident_id"), lambda p: p.update(check_id="ABC")):
        payload = check_payload([bp()])
        mutate(payload)
        [check] = results(live, headers, [check_record(payload)])
        assert (check["outcome"], check["error"]["code"]) == ("rejected", "health.invalid_record")


def test_consent_of_an_unknown_resident_is_rejected(live):
    _, headers = live.enroll()
    [consent] = results(live, headers, [consent_record("R-999999")])
    assert (consent["outcome"], consent["status_code"], consent["error"]["code"]) == (
        "rejected", 404, "health.unknown_resident")


def test_a_retry_replays_the_answer_and_a_second_key_for_the_same_check_is_refused(live):
    _, headers = live.enroll()
    payload = check_payload([bp(182, 95)])
    key = uuid.uuid4()
    [_, first] = results(live, headers, [consent_record(), check_record(payload, key)])
    [again] = results(live, headers, [check_record(payload, key)])
    assert (again["outcome"], again["result"]) == ("replayed", first["result"])
    [other] = results(live, headers, [check_record(copy.deepcopy(payload))])
    assert (other["outcome"], other["status_code"], other["error"]["code"]) == (
        "rejected", 409, "health.duplicate_check")
    assert len(alerts(live.db_url)) == 1
