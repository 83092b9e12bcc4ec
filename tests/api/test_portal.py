"""The data.go.kr-style portal: identifiers never served, errors always in the envelope."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from entities.registry import get_dataset
from entities.spec import PII
from mdr.db.engine import Database
from tests.api.conftest import api_settings, audit_rows, new_key, store
from tests.factories import make

pytestmark = pytest.mark.db

PORTAL = "/v1/portal/{}"


def header(response) -> tuple[str, str]:
    """The envelope's resultCode and resultMsg, from JSON or XML (never problem+json)."""
    media = response.headers["content-type"]
    if media.startswith("application/xml"):
        root = ET.fromstring(response.content)
        return root.findtext("header/resultCode") or "", root.findtext("header/resultMsg") or ""
    assert media == "application/json", (media, response.text)
    head = response.json()["response"]["header"]
    return head["resultCode"], head["resultMsg"]


def body_numbers(response) -> tuple[int, int]:
    """The envelope's (pageNo, numOfRows)."""
    if response.headers["content-type"].startswith("application/xml"):
        root = ET.fromstring(response.content)
        return int(root.findtext("body/pageNo") or 0), int(root.findtext("body/numOfRows") or 0)
    body = response.json()["response"]["body"]
    return body["pageNo"], body["numOfRows"]


def portal_key(api_db, grants: list[str]) -> tuple[str, str]:
    key_id, headers = new_key(api_db, grants, ["public_info"])
    return key_id, headers["Authorization"][len("Bearer "):]


# -- unique identifiers are never served -------------------------------------------------

@pytest.mark.parametrize("dataset, identifier", [
    ("vehicle", "owner_id"),
    ("business", "representative_rrn"),
    ("farm_business", "operator_rrn"),
    ("land_parcel", "owner_id"),
])
def test_portal_never_serves_a_unique_identifier(api, api_db, dataset: str,
                                                 identifier: str) -> None:
    spec = get_dataset(dataset)
    assert spec.field_spec(identifier).pii is PII.UNIQUE_IDENTIFIER
    records = [make(dataset) for _ in range(3)]
    store(api_db, dataset, records)
    secrets = {str(r[identifier]) for r in records}
    assert all(len(s) >= 10 for s in secrets)  # real identifiers, not empty values
    key_id, key = portal_key(api_db, [dataset])  # the whole dataset granted
    as_json = api.get(PORTAL.format(dataset), params={"serviceKey": key, "numOfRows": 10})
    as_xml = api.get(PORTAL.format(dataset), params={"serviceKey": key, "_type": "xml"})
    assert as_json.status_code == as_xml.status_code == 200, as_json.text
    items = as_json.json()["response"]["body"]["items"]["item"]
    assert len(items) == 3 and all(identifier not in item for item in items)
    served = [f for f in spec.field_names if spec.field_spec(f).pii is not PII.UNIQUE_IDENTIFIER]
    assert all(list(item) == served for item in items)
    xml_items = ET.fromstring(as_xml.content).findall("body/items/item")
    assert len(xml_items) == 3 and all(item.find(identifier) is None for item in xml_items)
    for secret in secrets:
        assert secret not in as_json.text and secret.encode() not in as_xml.content
    rows = audit_rows(api_db, key_id)
    assert len(rows) == 6  # 3 records, twice
    assert all(list(row["fields"]) == served for row in rows)
    assert all(identifier not in row["fields"] for row in rows)


def test_portal_denies_a_grant_of_only_unique_identifiers(api, api_db) -> None:
    store(api_db, "vehicle", [make("vehicle")])
    key_id, key = portal_key(api_db, ["vehicle:owner_id"])
    for fmt in ("json", "xml"):
        response = api.get(PORTAL.format("vehicle"), params={"serviceKey": key, "type": fmt})
        assert response.status_code == 403
        assert header(response) == ("20", "SERVICE_ACCESS_DENIED_ERROR")
    assert audit_rows(api_db, key_id) == []
    # A grant with another field serves that field alone.
    key_id, key = portal_key(api_db, ["vehicle:owner_id,plate"])
    items = api.get(PORTAL.format("vehicle"), params={"serviceKey": key}).json()[
        "response"]["body"]["items"]["item"]
    assert [list(item) for item in items] == [["plate"]]
    assert [list(row["fields"]) for row in audit_rows(api_db, key_id)] == [["plate"]]


# -- rate limits --------------------------------------------------------------------------

def test_portal_rate_limit_answers_22_with_retry_after(api_db, api_url, tmp_path) -> None:
    store(api_db, "medicine", [make("medicine")])
    app = create_app(api_settings(tmp_path, rate_limit_per_second=0.05, rate_limit_burst=2),
                     Database(api_url, embedded=False))
    _, key = portal_key(api_db, ["medicine"])
    with TestClient(app, raise_server_exceptions=False) as client:
        allowed = [client.get(PORTAL.format("medicine"), params={"serviceKey": key})
                   for _ in range(2)]
        limited = [client.get(PORTAL.format("medicine"), params={"serviceKey": key, "type": fmt})
                   for fmt in ("json", "xml")]
    assert [r.status_code for r in allowed] == [200, 200]
    for response in limited:
        assert response.status_code == 429
        assert header(response) == ("22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR")
        assert int(response.headers["retry-after"]) >= 1
    assert limited[1].headers["content-type"].startswith("application/xml")


# -- invalid parameters answer in the envelope -----------------------------------------

INVALID: list[tuple[dict[str, Any], tuple[int, int]]] = [
    # (parameters, the (pageNo, numOfRows) the error echoes)
    ({"pageNo": "0", "numOfRows": "5"}, (1, 5)),
    ({"pageNo": "abc123xyz", "numOfRows": "5"}, (1, 5)),
    ({"pageNo": "-3"}, (1, 10)),
    ({"pageNo": "7777777"}, (1, 10)),  # above 1,000,000
    ({"numOfRows": "0", "pageNo": "3"}, (3, 10)),
    ({"numOfRows": "1001", "pageNo": "3"}, (3, 10)),
    ({"numOfRows": "ten"}, (1, 10)),
    ({"type": "yaml", "pageNo": "2", "numOfRows": "4"}, (2, 4)),
    ({"_type": "yaml"}, (1, 10)),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("params, echoed", INVALID)
def test_portal_invalid_parameters_answer_result_code_10(api, api_db, params: dict[str, Any],
                                                         echoed: tuple[int, int],
                                                         fmt: str) -> None:
    store(api_db, "medicine", [make("medicine")])
    key_id, key = portal_key(api_db, ["medicine"])
    query = {"serviceKey": key, **params}
    # The format travels in whichever of type/_type the case leaves valid.
    query.setdefault("_type" if "type" in params else "type", fmt)
    response = api.get(PORTAL.format("medicine"), params=query)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(f"application/{fmt}")
    assert header(response) == ("10", "INVALID_REQUEST_PARAMETER_ERROR")
    assert body_numbers(response) == echoed
    for value in params.values():  # no distinctive parameter value is echoed
        if len(value) >= 3:
            assert value not in response.text
    assert audit_rows(api_db, key_id) == []


def test_portal_unrecognisable_format_answers_in_json(api, api_db) -> None:
    _, key = portal_key(api_db, ["medicine"])
    for name in ("type", "_type"):
        response = api.get(PORTAL.format("medicine"), params={"serviceKey": key, name: "yaml"})
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        assert header(response) == ("10", "INVALID_REQUEST_PARAMETER_ERROR")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_portal_missing_service_key_answers_result_code_30(api, api_db, fmt: str) -> None:
    for key in ({}, {"serviceKey": ""}):  # absent, or empty
        params = {"type": fmt, "pageNo": "2", "numOfRows": "3", **key}
        response = api.get(PORTAL.format("medicine"), params=params)
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith(f"application/{fmt}")
        assert header(response) == ("30", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR")
        assert body_numbers(response) == (2, 3)


def test_portal_empty_parameters_take_their_defaults(api, api_db) -> None:
    store(api_db, "medicine", [make("medicine") for _ in range(12)])
    _, key = portal_key(api_db, ["medicine"])
    response = api.get(f"{PORTAL.format('medicine')}?serviceKey={key}"
                       "&pageNo=&numOfRows=&type=&_type=&purpose=")
    assert response.status_code == 200, response.text
    assert body_numbers(response) == (1, 10)
    assert len(response.json()["response"]["body"]["items"]["item"]) == 10


def test_portal_openapi_documents_the_parameter_constraints(api) -> None:
    operation = api.get("/openapi.json").json()["paths"]["/v1/portal/{dataset}"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["pageNo"]["schema"].items() >= {
        "type": "integer", "minimum": 1, "maximum": 1_000_000}.items()
    assert params["numOfRows"]["schema"]["maximum"] == 1000
    assert params["type"]["schema"]["enum"] == params["_type"]["schema"]["enum"] == [
        "json", "xml"]
    for name in ("pageNo", "numOfRows", "type", "_type"):
        assert "resultCode 10" in params[name]["description"]
    assert "resultCode 30" in params["serviceKey"]["description"]
    assert {"400", "401", "403", "429"} <= set(operation["responses"])


def test_portal_xml_stays_well_formed_around_control_characters(api, api_db) -> None:
    store(api_db, "goods", [make("goods", specification="10\x01kg\x0bbox\tA")])
    _, key = portal_key(api_db, ["goods"])
    response = api.get(PORTAL.format("goods") + f"?serviceKey={key}&_type=xml")
    item = ET.fromstring(response.content).find("body/items/item")
    assert item is not None and item.findtext("specification") == "10\ufffdkg\ufffdbox\tA"
