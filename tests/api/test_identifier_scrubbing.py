"""No spelling of a registration number sent anywhere in a read request comes back in an
error, and ordinary names still do (property tests, seeded).

A number is spelled as people and programs write it: with or without a hyphen, with a
space, dot, dash or slash between birth date and serial, in full-width digits, or with
its leading zero lost (a spreadsheet cell, a JSON number). Each is sent in a place of a
read request that an error could repeat (a field name, a search type, a parameter name
or value, a purpose, a path segment, a query parameter, a member name, a cursor, a
request id), on the records routes, the portal, and the ids of runs and work items
(a number lost its leading zero there as an integer id, and a 404 repeated it).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from api.routes.reconciliation import public_name
from mdr.errors import scrubbed, shown
from tests.api.conftest import new_key

pytestmark = pytest.mark.db

SEPARATORS = ["", "-", " ", ".", "_", "/", " - ", "\u2010", "\u2013", "\u2014", "\uff0d",
              "\u00b7", "\u3000", "\u200b"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A registration number (6 + 7 digits, possibly born in the 2000s: a leading zero)."""
    birth = f"{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 12)):02d}" \
            f"{draw(st.integers(1, 28)):02d}"
    serial = f"{draw(st.integers(1, 8))}{draw(st.integers(0, 999_999)):06d}"
    return birth, serial


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str | int]:
    """(serial, the number as sent): a string, or an int when it is one."""
    birth, serial = draw(numbers())
    kind = draw(st.sampled_from(["as is", "separated", "full-width", "zero lost",
                                 "zero lost, a number"]))
    if kind.startswith("zero lost"):
        birth = "0" + birth[1:]  # born in the 2000s, and the spreadsheet dropped the zero
        if kind.endswith("a number"):
            return serial, int(birth + serial)
        birth = birth[1:]
    separator = draw(st.sampled_from(SEPARATORS)) if kind != "as is" else ""
    text = birth + separator + serial
    return serial, text.translate(FULL_WIDTH) if kind == "full-width" else text


def echoes(body: str, serial: str) -> bool:
    """Whether ``body`` repeats ``serial`` in any spelling: full-width digits folded,
    separators between digits dropped. The request id is ours, not the caller's."""
    folded = unicodedata.normalize("NFKC", body)
    folded = re.sub(r'"request_id":\s*"[^"]*"', "", folded)
    return serial in re.sub(r"(?<=\d)[\W_]{1,3}(?=\d)", "", folded)


Place = Callable[[TestClient, dict[str, str], Any], Any]
SEARCH, LOOKUP = "/v1/datasets/{}/records:search", "/v1/datasets/{}/records:lookup"


def _header(value: Any) -> bytes:
    return str(value).encode()


PLACES: dict[str, Place] = {
    "lookup field": lambda c, h, v: c.post(LOOKUP.format("resident"), headers=h,
                                           json={"keys": ["x"], "fields": [v]}),
    "lookup member": lambda c, h, v: c.post(LOOKUP.format("resident"), headers=h,
                                            json={"keys": ["x"], str(v): 1}),
    "lookup keys not a list": lambda c, h, v: c.post(LOOKUP.format("resident"), headers=h,
                                                     json={"keys": v}),
    "lookup valid_at": lambda c, h, v: c.post(LOOKUP.format("resident"), headers=h,
                                              json={"keys": ["x"], "valid_at": v}),
    "lookup dataset": lambda c, h, v: c.post(LOOKUP.format(v), headers=h, json={"keys": ["x"]}),
    "purpose": lambda c, h, v: c.post(LOOKUP.format("resident"),
                                      headers={**h, "X-Purpose": _header(v)},
                                      json={"keys": ["x"]}),
    "request id": lambda c, h, v: c.post(LOOKUP.format("resident"),
                                         headers={**h, "X-Request-ID": _header(v)},
                                         json={"keys": "no list"}),
    "search type": lambda c, h, v: c.post(SEARCH.format("resident"), headers=h,
                                          json={"type": v, "params": {}}),
    "search param name": lambda c, h, v: c.post(SEARCH.format("resident"), headers=h, json={
        "type": "by_household", "params": {"household_id": "h", str(v): "x"}}),
    "search date": lambda c, h, v: c.post(SEARCH.format("resident"), headers=h, json={
        "type": "name_birth_date", "params": {"name": "김", "birth_date": v}}),
    "search cursor": lambda c, h, v: c.post(SEARCH.format("resident"), headers=h, json={
        "type": "by_household", "params": {"household_id": "h"}, "cursor": str(v)}),
    "history key": lambda c, h, v: c.post("/v1/datasets/resident/records:history",
                                          headers=h, json={"key": v}),
    "get key": lambda c, h, v: c.get(f"/v1/datasets/vehicle/records/{v}", headers=h),
    "get personal key": lambda c, h, v: c.get(f"/v1/datasets/resident/records/{v}", headers=h),
    "get fields": lambda c, h, v: c.get("/v1/datasets/vehicle/records/x", headers=h,
                                        params={"fields": str(v)}),
    "get valid_at": lambda c, h, v: c.get("/v1/datasets/vehicle/records/x", headers=h,
                                          params={"valid_at": str(v)}),
    "no such route": lambda c, h, v: c.post(f"/v1/datasets/resident/records:{v}", headers=h),
    "reconciliation run": lambda c, h, v: c.get(f"/v1/reconciliation/runs/{v}", headers=h),
    "steward item": lambda c, h, v: c.get(f"/v1/steward/items/{v}", headers=h),
    "portal dataset": lambda c, h, v: c.get(f"/v1/portal/{v}", params={"serviceKey": "k"}),
    "portal key": lambda c, h, v: c.get("/v1/portal/vehicle", params={"serviceKey": str(v)}),
    "portal page": lambda c, h, v: c.get("/v1/portal/vehicle", params={
        "serviceKey": h["Authorization"][7:], "pageNo": str(v), "type": "xml"}),
    "portal purpose": lambda c, h, v: c.get("/v1/portal/vehicle", params={
        "serviceKey": h["Authorization"][7:], "purpose": str(v)}),
}

PROPERTY = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(number=spelled())
def test_no_spelling_of_a_number_survives_in_an_error(
        api: TestClient, api_db: Engine, keys: dict[str, str],
        number: tuple[str, str | int]) -> None:
    serial, sent = number
    for place, send in PLACES.items():
        response = send(api, keys, sent)
        assert response.status_code >= 400, (place, sent, response.text)
        assert not echoes(response.text, serial), (place, sent, response.text)
        headers = dict(response.headers)
        # A request id shaped like a number is not taken: the answer carries one of ours.
        assert re.fullmatch("[0-9a-f]{32}", headers.pop("x-request-id")), (place, sent)
        assert not echoes(json.dumps(headers), serial), (place, sent)


NAMES = st.from_regex(r"[a-z][a-z_]{2,18}[a-z]", fullmatch=True).filter(
    lambda name: name not in {"name", "birth_date", "rrn", "verification", "resident"})

NAME_PLACES: dict[str, Place] = {
    "lookup field": PLACES["lookup field"],
    "lookup member": PLACES["lookup member"],
    "purpose": PLACES["purpose"],
    "search type": PLACES["search type"],
    "search param name": PLACES["search param name"],
    "lookup dataset": PLACES["lookup dataset"],
    "get fields": PLACES["get fields"],
}


@PROPERTY
@given(name=NAMES, place=st.sampled_from(sorted(NAME_PLACES)))
def test_ordinary_names_are_still_shown(api: TestClient, api_db: Engine, keys: dict[str, str],
                                        name: str, place: str) -> None:
    response = NAME_PLACES[place](api, keys, name)
    assert response.status_code in (400, 403, 404, 422), (place, name, response.text)
    assert name in response.text, (place, name, response.text)


@pytest.fixture
def keys(api_db: Engine) -> dict[str, str]:
    _, headers = new_key(api_db, ["resident", "vehicle", "steward"])
    return headers


@given(number=spelled())
@settings(max_examples=500, derandomize=True, database=None)
def test_scrubbed_replaces_every_spelling(number: tuple[str, str | int]) -> None:
    serial, sent = number
    for text in (f"{sent}", f"unknown column {sent}!", f"copy of {sent}.csv", f"a{sent}b"):
        assert not echoes(scrubbed(text), serial), text
        if "/" not in text:  # a slash would make it a folder, not part of the name
            assert not echoes(public_name(f"C:\\Users\\kim\\{text}.csv"), serial), text
        assert shown(text) != text


@pytest.mark.parametrize("ordinary", [
    "2026-12-07", "2026-12-07 12:34:56", "2026-12-07T12:34:56+09:00", "010-1234-5678",
    "row 1234567 of 9999999", "batch 123456 run 4567", "vehicle 12가3456", "v1.2.3",
    "records 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12", "1234-5678-9012-3456",
    "the request body exceeds 2,147,483,648 bytes",
    "archive 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.csv",
    "request 605f13a2033a1121000000000000001f",
])
def test_scrubbed_keeps_what_is_not_a_registration_number(ordinary: str) -> None:
    assert scrubbed(ordinary) == ordinary
