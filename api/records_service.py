"""Reading authoritative records for agencies: grants, fields, time travel, audit.

Every read goes through :meth:`RecordService.authorize` (dataset granted, purpose
declared and granted, fields within the grant), fetches from PostgreSQL with
asyncpg (the hot path), and writes one access-log row per served record
through the group-committing :class:`~mdr.access.audit.AuditWriter` before the
caller may answer. Queries are generated from the dataset specs.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken

from api.replicas import ReadPools
from entities.identifiers import VALIDATORS, clean
from entities.registry import get_dataset
from entities.spec import DatasetSpec, FieldType, SearchKind
from entities.tables import sql_type
from mdr.access import gate
from mdr.access.audit import AuditEntry, AuditWriter
from mdr.access.keys import PRINCIPAL_SQL, ROLES, Principal, key_digest, principal_from_rows
from mdr.access.secrets import IdentifierHasher
from mdr.db.sql import quote_ident
from mdr.errors import (
    FieldNotGranted,
    InvalidInput,
    NoGrant,
    PurposeNotGranted,
    RateLimited,
    RecordNotFound,
    Unauthorized,
    shown,
)
from mdr.timezone import SEOUL, TODAY_IN_KOREA_SQL, today_in_korea

MAX_BATCH = 1000
MAX_PAGE = 500
#: The longest search parameter value: a name, a plate, an address. A trigram search on
#: a 24,000-character value ran for 17 s (outside review).
MAX_SEARCH_VALUE = 200
PRINCIPAL_TTL_SECONDS = 10.0  # a revoked key stops working within this time


@dataclass(frozen=True)
class ReadContext:
    principal: Principal
    purpose: str
    request_id: str
    route: str


#: What a read may return of a dataset, for whom and why (the gate's answer).
Authorized = gate.Authorized[DatasetSpec]


def _echoable(names: list[str]) -> list[str]:
    return [shown(name) for name in names]


#: Today's date where the records are kept (as a sync's default as-of date).
TODAY = TODAY_IN_KOREA_SQL


class _Queries:
    """SQL for one dataset, built once from its spec."""

    def __init__(self, spec: DatasetSpec) -> None:
        key, cols = quote_ident(spec.key), ", ".join(quote_ident(f) for f in spec.field_names)
        cur, ver = quote_ident(spec.current_table), quote_ident(spec.version_table)
        # Open flags ride along in the record's own query: one round trip per read.
        flags = (
            "(SELECT array_agg((f.field, f.status, f.reason, f.raised_at) ORDER BY f.flag_id) "
            f"FROM field_flag f WHERE f.dataset = '{spec.name}' AND f.record_key = r.{key} "
            "AND f.cleared_at IS NULL) AS open_flags"
        )
        # Records valid today, with their flags; lookups and searches add their conditions
        # to both parts. The current table holds each key's latest version; while a sync
        # dated after today is pending (a change announced ahead), that version may not
        # be valid yet, and the version valid today, which it replaces or ends, is not in
        # the current table. The second part finds those; it runs only while such a
        # sync exists (one probe of an index, evaluated once per statement).
        self.search = (f"SELECT {cols}, version_id, valid_from, NULL::date AS valid_to, "
                       f"recorded_at, batch_id, {flags} FROM {cur} r WHERE valid_from <= "
                       f"{TODAY} AND ")
        self.search_pending = (
            f"SELECT {cols}, version_id, valid_from, valid_to, recorded_at, batch_id, {flags} "
            f"FROM {ver} r WHERE (SELECT max(as_of) FROM sync_batch WHERE dataset = "
            f"'{spec.name}' AND status = 'applied') > {TODAY} AND superseded_at IS NULL "
            f"AND valid_from <= {TODAY} AND valid_to > {TODAY} AND "
        )
        keys = f"{key} = ANY($1::text[])"
        # Lookups read the second part only for the keys the first misses.
        self.current, self.current_pending = f"{self.search}{keys}", f"{self.search_pending}{keys}"
        # The version of each key as of a date ($1) and a time ($2), for searches in the
        # past; without the current table's search indexes (time travel is rare).
        self.search_as_of = (
            f"SELECT DISTINCT ON ({key}) {cols}, version_id, valid_from, valid_to, "
            f"recorded_at, batch_id, {flags} FROM {ver} r WHERE valid_period @> $1::date "
            "AND recorded_at <= $2 AND (superseded_at IS NULL OR superseded_at > $2) AND "
        )
        self.as_of = (
            f"SELECT DISTINCT ON ({key}) {cols}, version_id, valid_from, valid_to, recorded_at, "
            f"batch_id, {flags} FROM {ver} r WHERE {key} = ANY($1::text[]) "
            "AND valid_period @> $2::date "
            "AND recorded_at <= $3 AND (superseded_at IS NULL OR superseded_at > $3) "
            f"ORDER BY {key}, recorded_at DESC"
        )
        # As known at $3 (when given): later versions left out, later supersessions undone.
        self.history = (
            f"SELECT {cols}, version_id, valid_from, valid_to, recorded_at, "
            "CASE WHEN superseded_at > $3 THEN NULL ELSE superseded_at END AS superseded_at, "
            f"batch_id, {flags} FROM {ver} r WHERE {key} = $1 "
            "AND ($2::date IS NULL OR valid_period @> $2::date) "
            "AND ($3::timestamptz IS NULL OR recorded_at <= $3) ORDER BY valid_from, recorded_at"
        )
        self.by_version = (
            f"SELECT {cols}, version_id, valid_from, valid_to, recorded_at, superseded_at, "
            f"batch_id, {flags} FROM {ver} r WHERE version_id = ANY($1::bigint[])"
        )
        self.page = (f"SELECT * FROM ({self.search}true UNION ALL {self.search_pending}true) "
                     f"AS today ORDER BY {key} LIMIT $1 OFFSET $2")
        self.key = key
        self.key_position = spec.field_names.index(spec.key)
        # The data subjects of a record are known from its key alone: the person it is
        # keyed by (a resident), or none (no field names a person).
        self.subjects_in_key = spec.identifier_fields in ((), (spec.key,))


def _cast(spec: DatasetSpec, field: str) -> str:
    return "::" + sql_type(spec.field_spec(field).type)


def normalise_key(spec: DatasetSpec, raw: str) -> str | None:
    """The canonical key, or None when it cannot be one (then it is simply not found).

    Only the form matters here: a key breaking a rule (a bad check digit) is never in
    the master, so the database answers "not found" without the rule being checked.
    """
    if "\x00" in raw:  # PostgreSQL text cannot hold it, so no key does
        return None
    validator = spec.key_field.validator
    if validator is None:
        return raw.strip() or None
    return VALIDATORS[validator].canonical(clean(raw))


def search_value(spec: DatasetSpec, field: str, value: Any, *, name: str) -> Any:
    """A search parameter in the stored form: canonical identifier, date or integer.

    ``name`` is how the caller's user knows the parameter, for the error message.
    """
    f = spec.field_spec(field)
    text = str(value).strip()
    if "\x00" in text:
        raise InvalidInput(f"{name} holds a NUL character",
                           errors=[{"field": name, "message": "NUL character not allowed"}])
    if len(text) > MAX_SEARCH_VALUE:
        raise InvalidInput(f"{name} is longer than {MAX_SEARCH_VALUE} characters",
                           errors=[{"field": name,
                                    "message": f"at most {MAX_SEARCH_VALUE} characters"}])
    if f.validator:
        check = VALIDATORS[f.validator].check(text)
        return check.value if check.value is not None else text
    parsers: dict[FieldType, tuple[str, Callable[[str], Any]]] = {
        FieldType.DATE: ("a date (YYYY-MM-DD)", dt.date.fromisoformat),
        FieldType.INTEGER: ("a whole number", int),
    }
    if f.type not in parsers:
        return text
    expected, parse = parsers[f.type]
    try:
        return parse(text)
    except ValueError:
        raise InvalidInput(f"{name} must be {expected}",
                           errors=[{"field": name, "message": f"not {expected}"}]) from None


class TokenBucket:
    """Per-key rate limit, in process (each API worker limits its share)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key_id: str, cost: float = 1.0) -> None:
        now = time.monotonic()
        tokens, last = self._state.get(key_id, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < cost:
            self._state[key_id] = (tokens, now)
            wait = max(1, int((cost - tokens) / self.rate + 0.999))
            raise RateLimited(f"rate limit of {self.rate:g} requests per second exceeded",
                              retry_after=wait)
        self._state[key_id] = (tokens - cost, now)


class RecordService:
    def __init__(self, reads: ReadPools, audit: AuditWriter, secret: bytes,
                 limiter: TokenBucket) -> None:
        # Record reads go to a usable replica or the primary; key checks to the primary.
        self.reads, self.audit, self.limiter = reads, audit, limiter
        self.hash_identifier = IdentifierHasher(secret)
        self.cursors = Cursors(secret)
        self._queries: dict[str, _Queries] = {}
        self._principals: dict[str, tuple[float, Principal | None]] = {}

    # -- authentication and authorisation ------------------------------------------------
    async def authenticate(self, presented: str) -> Principal:
        """The key's principal, read on the primary at most PRINCIPAL_TTL_SECONDS ago: a
        replica may lag behind a revocation (or a new key) by any time."""
        digest = key_digest(presented)
        cached = self._principals.get(digest)
        now = time.monotonic()
        if cached is None or now - cached[0] > PRINCIPAL_TTL_SECONDS:
            rows = await self.reads.fetch_primary(PRINCIPAL_SQL, digest)
            cached = (now, principal_from_rows(rows))
            if len(self._principals) > 10_000:
                self._principals.clear()
            self._principals[digest] = cached
        principal = cached[1]
        if principal is None:
            raise Unauthorized("the API key is unknown, revoked or expired")
        self.limiter.take(principal.key_id)
        return principal

    @staticmethod
    def authorize(principal: Principal, dataset: str, purpose: str | None,
                  requested: list[str] | None) -> Authorized:
        """The gate's answer for ``dataset`` (:func:`mdr.access.gate.authorize`)."""
        return gate.authorize(principal, get_dataset(dataset), purpose, requested)

    def queries(self, spec: DatasetSpec) -> _Queries:
        if spec.name not in self._queries:
            self._queries[spec.name] = _Queries(spec)
        return self._queries[spec.name]

    # -- shaping and auditing ---------------------------------------------------------
    @classmethod
    def _live_flags(cls, row: Any) -> list[dict[str, Any]] | None:
        """Open flags concern the record as it is: the version believed and valid today
        carries them (not one dated later, nor one that has ended)."""
        today = today_in_korea()
        live = row["superseded_at"] is None and row["valid_from"] <= today and (
            row["valid_to"] is None or row["valid_to"] > today)
        return cls._open_flags(row) if live else None

    @staticmethod
    def _open_flags(row: Any) -> list[dict[str, Any]]:
        return [{"field": field, "status": status, "reason": reason,
                 "raised_at": raised_at.isoformat()}
                for field, status, reason, raised_at in row["open_flags"] or ()]

    def shape(self, auth: Authorized, row: Any,
              flags: list[dict[str, Any]] | None) -> dict[str, Any]:
        spec = auth.spec
        provenance = {
            "owner": spec.owner.code,
            "batch_id": row["batch_id"],
            "version_id": row["version_id"],
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
            "recorded_at": row["recorded_at"],
        }
        shaped = {
            "key": row[spec.key],
            "data": auth.data(row),
            "provenance": provenance,
            "flags": [f for f in (flags or []) if f["field"] in auth.fields],
        }
        if not auth.key_granted:
            del shaped["key"]
        return shaped

    async def record_access(self, ctx: ReadContext, auth: Authorized, rows: list[Any]) -> None:
        await self.audit.record(self.audit_entries(ctx, auth, rows))

    def audit_entries(self, ctx: ReadContext, auth: Authorized,
                      rows: list[Any]) -> list[AuditEntry]:
        spec = auth.spec
        if self.queries(spec).subjects_in_key:
            return self.key_audit_entries(ctx, auth, [str(row[spec.key]) for row in rows])
        return gate.entries(ctx.principal, auth, rows, hash_identifier=self.hash_identifier,
                            request_id=ctx.request_id, route=ctx.route)

    def key_audit_entries(self, ctx: ReadContext, auth: Authorized,
                          keys: list[str]) -> list[AuditEntry]:
        """The rows for records of a dataset whose data subjects follow from the key
        (:attr:`_Queries.subjects_in_key`): known before the records are read."""
        now, names_person = dt.datetime.now(dt.UTC), bool(auth.spec.identifier_fields)
        entries = []
        for key in keys:
            key_hash = self.hash_identifier(key)
            entries.append(self._entry(ctx, auth, now, key, key_hash=key_hash,
                                       subject_hashes=(key_hash,) if names_person else ()))
        return entries

    @staticmethod
    def _entry(ctx: ReadContext, auth: Authorized, now: dt.datetime, key: str, *,
               key_hash: str, subject_hashes: tuple[str, ...]) -> AuditEntry:
        return AuditEntry(now, ctx.principal.agency_code, ctx.principal.key_id, auth.spec.name,
                          key, key_hash, subject_hashes, auth.fields, ctx.purpose,
                          ctx.request_id, ctx.route)

    # -- reads ----------------------------------------------------------------------
    async def fetch_keys(self, auth: Authorized, keys: list[str], valid_at: dt.date | None,
                         recorded_at: dt.datetime | None) -> dict[str, Any]:
        q = self.queries(auth.spec)
        if valid_at is None and recorded_at is None:
            # Together with other requests' keys: the rows may hold more than asked for.
            found, _ = await self.reads.read_keys(q.current, q.key_position, keys,
                                                  q.current_pending)
            return found
        rows = await self.reads.fetch(q.as_of, keys, *_as_of(valid_at, recorded_at))
        return {row[auth.spec.key]: row for row in rows}

    async def lookup(self, ctx: ReadContext, auth: Authorized, keys: list[str],
                     valid_at: dt.date | None, recorded_at: dt.datetime | None) -> dict[str, Any]:
        canonical = [normalise_key(auth.spec, k) for k in keys]
        wanted = list({k for k in canonical if k is not None})
        q = self.queries(auth.spec)
        logged_by_reader = False
        if valid_at is None and recorded_at is None and q.subjects_in_key and wanted:
            # The access-log rows are known before the read: a reader on the primary
            # commits them with it.
            found, logged_by_reader = await self.reads.read_keys(
                q.current, q.key_position, wanted, q.current_pending,
                log=partial(self.key_audit_entries, ctx, auth,
                            [k for k in canonical if k is not None]))
        else:
            found = await self.fetch_keys(auth, wanted, valid_at, recorded_at) if wanted else {}
        rows = [found.get(key) if key is not None else None for key in canonical]
        served = [row for row in rows if row is not None]
        committed = None if logged_by_reader else \
            self.audit.submit(self.audit_entries(ctx, auth, served))
        if committed is not None:
            await asyncio.sleep(0)  # the writer sends the rows; shape the answer meanwhile
        records = [self.shape(auth, row, self._open_flags(row)) for row in served]
        not_found = [raw for raw, row in zip(keys, rows, strict=True) if row is None]
        if committed is not None:
            await committed  # nothing is answered before its access is logged
        return {"records": records, "not_found": not_found}

    async def get_one(self, ctx: ReadContext, auth: Authorized, key: str,
                      valid_at: dt.date | None, recorded_at: dt.datetime | None
                      ) -> tuple[dict[str, Any], str]:
        result = await self.lookup(ctx, auth, [key], valid_at, recorded_at)
        if not result["records"]:
            raise RecordNotFound(f"no {auth.spec.name} record with that key")
        record = result["records"][0]
        tag = hashlib.sha256(orjson.dumps(
            [record["provenance"]["version_id"], auth.fields, record["flags"]])).hexdigest()[:32]
        return record, f'"{tag}"'

    async def history(self, ctx: ReadContext, auth: Authorized, key: str,
                      valid_at: dt.date | None = None,
                      recorded_at: dt.datetime | None = None) -> dict[str, Any]:
        """Every version of a key; only those valid on ``valid_at``, and as the repository
        knew them at ``recorded_at``, when given."""
        canonical = normalise_key(auth.spec, key)
        recorded = _checked(recorded_at) if recorded_at else None
        rows = await self.reads.fetch(self.queries(auth.spec).history, canonical, valid_at,
                                      recorded) if canonical else []
        if not rows:
            raise RecordNotFound(f"no {auth.spec.name} record with that key")
        versions = []
        for row in rows:
            shaped = self.shape(auth, row, self._live_flags(row))
            shaped["provenance"]["superseded_at"] = row["superseded_at"]
            versions.append(shaped)
        await self.record_access(ctx, auth, list(rows))
        return {"key": canonical, "versions": versions} if auth.key_granted \
            else {"versions": versions}

    async def search(self, ctx: ReadContext, auth: Authorized, search_type: str, *,
                     params: dict[str, Any], cursor: str | None, limit: int,
                     valid_at: dt.date | None = None,
                     recorded_at: dt.datetime | None = None) -> dict[str, Any]:
        spec = auth.spec
        search = next((s for s in spec.searches if s.name == search_type), None)
        if search is None:
            raise InvalidInput(
                f"{spec.name} has no search type {', '.join(_echoable([search_type]))}; types: "
                + ", ".join(s.name for s in spec.searches),
                errors=[{"field": "type", "message": "unknown search type"}])
        # Searching by a value is learning it: a search filters on granted fields only.
        hidden = [f for f in search.fields if f not in auth.granted]
        if hidden:
            raise FieldNotGranted(f"search {search.name} filters on fields not granted: "
                                  f"{', '.join(hidden)}", fields=hidden)
        missing = [f for f in search.fields if params.get(f) in (None, "")]
        if missing:
            raise InvalidInput(f"search {search.name} needs: {', '.join(missing)}",
                               errors=[{"field": f"params.{f}", "message": "required"}
                                       for f in missing])
        extra = [name for name in params if name not in search.fields]
        if extra:
            raise InvalidInput(f"search {search.name} takes only: {', '.join(search.fields)}",
                               errors=[{"field": "params", "message": "unexpected: "
                                        + ", ".join(_echoable(extra))}])
        q = self.queries(spec)
        clauses: list[str] = []
        args: list[Any] = []
        today = valid_at is None and recorded_at is None
        if not today:
            args.extend(_as_of(valid_at, recorded_at))
        for position, field in enumerate(search.fields):
            value = search_value(spec, field, params[field], name=f"params.{field}")
            args.append(value)
            ref = f"${len(args)}"
            last = position == len(search.fields) - 1
            if search.kind is SearchKind.TRIGRAM:
                clauses.append(f"{quote_ident(field)} % {ref}")
            elif search.kind is SearchKind.PREFIX and last:
                args[-1] = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                clauses.append(f"{quote_ident(field)} LIKE {ref} || '%'")
            else:
                clauses.append(f"{quote_ident(field)} = {ref}{_cast(spec, field)}")
        # A cursor belongs to its dataset, search, params and the time it reads as of.
        query = {"dataset": spec.name, "params": params,
                 "valid_at": valid_at and valid_at.isoformat(),
                 "recorded_at": recorded_at and recorded_at.isoformat()}
        after = self.cursors.decode(cursor, search.name, query) if cursor else None
        if after is not None:
            args.append(after)
            clauses.append(f"{q.key} > ${len(args)}")
        args.append(limit + 1)
        where, limit_to = " AND ".join(clauses), f"LIMIT ${len(args)}"
        if today:
            sql = (f"SELECT * FROM (({q.search}{where} ORDER BY {q.key} {limit_to}) UNION ALL "
                   f"({q.search_pending}{where} ORDER BY {q.key} {limit_to})) AS found "
                   f"ORDER BY {q.key} {limit_to}")
        else:
            sql = f"{q.search_as_of}{where} ORDER BY {q.key}, recorded_at DESC {limit_to}"
        rows = await self.reads.fetch(sql, *args)
        page, more = list(rows[:limit]), len(rows) > limit
        await self.record_access(ctx, auth, page)
        return {
            "records": [self.shape(auth, r, self._open_flags(r)) for r in page],
            "next_cursor": self.cursors.encode(search.name, query, page[-1][spec.key])
            if more else None,
        }

    async def changes(self, ctx: ReadContext, dataset: str | None, after: int,
                      limit: int) -> dict[str, Any]:
        gate.require_purpose(ctx.purpose)
        # Without a dataset filter: every granted dataset whose grant allows the purpose.
        granted = [d for d, g in ctx.principal.grants.items()
                   if d not in ROLES and ctx.purpose in g.purposes]
        if dataset is None and not granted:
            raise PurposeNotGranted(f"purpose {shown(ctx.purpose)!r} is not granted for any "
                                    "dataset")
        if dataset is not None:
            if dataset not in ctx.principal.grants:
                get_dataset(dataset)
                raise NoGrant(f"this key has no grant for {dataset}")
            granted = [dataset]
        auths = {d: self.authorize(ctx.principal, d, ctx.purpose, None) for d in granted}
        events = await self.reads.fetch(
            "SELECT event_id, dataset, record_key, kind, version_id, previous_version_id, "
            "batch_id, occurred_at FROM change_event WHERE event_id > $1 "
            # ids grow in commit order (writers serialise on the outbox lock), so a
            # cursor never moves past an event that commits later
            "AND dataset = ANY($2::text[]) ORDER BY event_id LIMIT $3", after, granted, limit)
        # Each dataset numbers its versions: a version is known by dataset and number.
        versions: dict[tuple[str, int], Any] = {}
        by_dataset: dict[str, list[int]] = {}
        for e in events:
            by_dataset.setdefault(e["dataset"], []).append(_event_version(e))
        for name, ids in by_dataset.items():
            for row in await self.reads.fetch(self.queries(get_dataset(name)).by_version, ids):
                versions[name, row["version_id"]] = row
        items = []
        served: dict[str, list[Any]] = {}
        for e in events:
            auth = auths[e["dataset"]]
            row = versions.get((e["dataset"], _event_version(e)))
            item = {
                "event_id": e["event_id"], "dataset": e["dataset"], "kind": e["kind"],
                "key": e["record_key"], "batch_id": e["batch_id"],
                "occurred_at": e["occurred_at"].isoformat(),
                "record": self.shape(auth, row, self._live_flags(row)) if row is not None
                else None,
            }
            if not auth.key_granted:
                del item["key"]
            items.append(item)
            if row is not None:
                served.setdefault(e["dataset"], []).append(row)
        for name, rows in served.items():
            await self.record_access(ctx, auths[name], rows)
        next_after = events[-1]["event_id"] if events else after
        return {"events": items, "next_after": next_after}

    async def page(self, ctx: ReadContext, auth: Authorized, page_no: int,
                   rows_per_page: int) -> tuple[list[dict[str, Any]], int]:
        """Offset pages in key order, for the data.go.kr-style route."""
        q = self.queries(auth.spec)
        rows = await self.reads.fetch(q.page, rows_per_page, (page_no - 1) * rows_per_page)
        # The catalogue's count is kept by every sync in its own transaction: no need to
        # count a million rows for each page.
        total = await self.reads.fetchval(
            "SELECT row_count FROM dataset_catalogue WHERE name = $1", auth.spec.name) or 0
        await self.record_access(ctx, auth, list(rows))
        return [self.shape(auth, r, None)["data"] for r in rows], int(total)


def _event_version(event: Any) -> int:
    """The version a change event made (for an end, the version it ended)."""
    return int(event["version_id"] or event["previous_version_id"])


#: The times a read may be as of (the ends of Python's range do not survive time zones).
RECORDED_RANGE = (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(9000, 1, 1, tzinfo=dt.UTC))


def _checked(recorded_at: dt.datetime) -> dt.datetime:
    """A caller's ``recorded_at``, aware (UTC when it names no zone) and in range."""
    recorded = recorded_at if recorded_at.tzinfo else recorded_at.replace(tzinfo=dt.UTC)
    if not RECORDED_RANGE[0] <= recorded < RECORDED_RANGE[1]:
        raise InvalidInput("recorded_at must fall between 1900 and 9000",
                           errors=[{"field": "recorded_at", "message": "out of range"}])
    return recorded


def _as_of(valid_at: dt.date | None,
           recorded_at: dt.datetime | None) -> tuple[dt.date, dt.datetime]:
    """The date and time a read is as of: now as known now by default, and a time alone
    reads what was valid on its own day (in Korea)."""
    recorded = _checked(recorded_at) if recorded_at else dt.datetime.now(dt.UTC)
    return valid_at or recorded.astimezone(SEOUL).date(), recorded


class Cursors:
    """Search cursors, opaque to the caller: a cursor names the last key of a page (a
    personal identifier, for residents), so it is encrypted and authenticated with
    a key derived from the server secret, and it is bound to the query it pages."""

    def __init__(self, secret: bytes) -> None:
        derived = hmac.new(secret, b"mdr search cursor", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    @staticmethod
    def _query_of(search: str, query: dict[str, Any]) -> str:
        return hashlib.sha256(orjson.dumps([search, query], option=orjson.OPT_SORT_KEYS)
                              ).hexdigest()[:16]

    def encode(self, search: str, query: dict[str, Any], key: str) -> str:
        token = self._fernet.encrypt(orjson.dumps({"q": self._query_of(search, query),
                                                   "k": key}))
        return token.decode().rstrip("=")

    def decode(self, cursor: str, search: str, query: dict[str, Any]) -> str:
        try:
            data = orjson.loads(self._fernet.decrypt(cursor + "=" * (-len(cursor) % 4)))
            if data["q"] != self._query_of(search, query):
                raise ValueError
            return str(data["k"])
        except (InvalidToken, ValueError, KeyError, TypeError):
            raise InvalidInput("the cursor is not valid for this search",
                               errors=[{"field": "cursor", "message": "invalid"}]) from None
