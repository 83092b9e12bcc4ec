"""The shapes of read answers, for OpenAPI (the routes send orjson bodies directly;
tests and the schemathesis run check that the bodies match these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

KEY_NOTE = "The record's natural key; only when the grant includes the key field."


class Flag(BaseModel):
    field: str
    status: str = Field(description="e.g. under_investigation")
    reason: str | None
    raised_at: dt.datetime


class Provenance(BaseModel):
    owner: str = Field(description="Code of the agency that owns the dataset.")
    batch_id: int | None = Field(description="The sync batch that recorded this version.")
    version_id: int
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="End of validity; null while open.")
    recorded_at: dt.datetime = Field(description="When the repository recorded it.")


class Record(BaseModel):
    key: str | None = Field(default=None, description=KEY_NOTE)
    data: dict[str, Any] = Field(description="The fields asked for, within the grant.")
    provenance: Provenance
    flags: list[Flag] = Field(description="Open flags on the fields served.")


class LookupAnswer(BaseModel):
    records: list[Record] = Field(description="Found records, in the order of the keys.")
    not_found: list[str] = Field(description="Keys asked for and not found, as sent.")


class SearchAnswer(BaseModel):
    records: list[Record]
    next_cursor: str | None = Field(description="For the next page; null on the last.")


class VersionProvenance(Provenance):
    superseded_at: dt.datetime | None = Field(
        description="When a later recording replaced this belief; null while believed.")


class Version(Record):
    provenance: VersionProvenance


class HistoryAnswer(BaseModel):
    key: str | None = Field(default=None, description=KEY_NOTE)
    versions: list[Version]


class ChangeEvent(BaseModel):
    event_id: int
    dataset: str
    kind: str = Field(description="created, changed, corrected or ended")
    key: str | None = Field(default=None, description=KEY_NOTE)
    batch_id: int | None
    occurred_at: dt.datetime
    record: Record | None = Field(description="The version the event made (the ended one "
                                  "for an end).")


class ChangesAnswer(BaseModel):
    events: list[ChangeEvent]
    next_after: int = Field(description="The cursor for the next page.")


def documented(model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that answers ``model`` with 200."""
    return {200: {"model": model, "description": description}}
