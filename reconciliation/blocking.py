"""Blocking: which agency x master pairs the probabilistic tier compares at all.

Comparing every agency record with every master record is quadratic, so pairs
are drawn from *blocks*: records sharing the value of a blocking key. One typo
in a blocking field would hide a pair from that key, so several keys are used
and candidate pairs are the **union** over keys; a pair is lost only if every
key misses it.

A key is a tuple of parts, each a field name with an optional transform::

    "birth_date"          the normalised value
    "rrn:head"            first half of an identifier (RRN: the birth date); only
                          for values of at least 8 characters
    "rrn:tail"            second half (a typo in one half leaves the other)
    "name:initials"       Hangul initial consonants (초성: 홍길동 -> ㅎㄱㄷ), or the
                          initials of a romanised name's sorted tokens
    "birth_date:year"     the year of a date
    "surname:prefix"      first three characters (cheap phonetic-like key)

:func:`blocking_keys` takes the dataset's ``linkage.blocking`` and adds derived
keys: halves of the natural key and of every identifier blocked on alone, and for
each name blocked on alone, its initials with the first blocked date, with that
date's year, and with the scope field (region). Refined keys matter because of
the caps: a block whose pair count exceeds ``max_block_pairs`` is skipped for its
key (a key whose blocks are that large is not selective: ``sex`` alone, a common
surname), and a key that would produce more than ``max_pairs_per_record`` pairs
per agency record overall is dropped (the first half of a household number
that starts with a region code); the other keys still find those pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from entities.spec import Comparator, DatasetSpec, FieldType

BlockingKey = tuple[str, ...]
MIN_SPLIT_LENGTH = 8
"""Identifiers shorter than this are not split: halves of 3 characters are not selective."""
TRANSFORMS = ("head", "tail", "initials", "year", "prefix")
_SEP = "\x1f"


@dataclass(frozen=True)
class KeyStats:
    """What one blocking key contributed."""

    key: str
    blocks: int  # blocks with records on both sides
    skipped_blocks: int  # blocks over the cap
    skipped_pairs: int  # pairs inside skipped blocks
    pairs: int  # pairs this key produced (before the union)
    dropped: bool = False  # the whole key was over its pair budget


def key_name(key: BlockingKey) -> str:
    return "+".join(key)


def _split(part: str) -> tuple[str, str | None]:
    name, _, transform = part.partition(":")
    if transform and transform not in TRANSFORMS:
        raise ValueError(f"unknown blocking transform {transform!r} in {part!r}")
    return name, transform or None


def blocking_keys(spec: DatasetSpec, *, derived: bool = True) -> tuple[BlockingKey, ...]:
    """The spec's blocking keys plus derived keys (see the module docstring)."""
    keys: list[BlockingKey] = [tuple(k) for k in spec.linkage.blocking]
    if not derived:
        return tuple(keys)
    singles = [k[0] for k in keys if len(k) == 1]
    identifiers = [spec.key] if spec.key_field.compare is Comparator.IDENTIFIER else []
    identifiers += [f for f in singles if spec.field_spec(f).compare is Comparator.IDENTIFIER]
    for f in dict.fromkeys(identifiers):
        keys += [(f"{f}:head",), (f"{f}:tail",)]
    dates = [f for f in singles if spec.field_spec(f).type is FieldType.DATE]
    names = [f for f in singles if spec.field_spec(f).compare is Comparator.NAME]
    scope = spec.linkage.scope_field
    for name in names:
        if dates:
            keys += [(f"{name}:initials", dates[0]), (f"{name}:initials", f"{dates[0]}:year")]
        if scope is not None:
            keys.append((f"{name}:initials", scope))
    return tuple(dict.fromkeys(keys))


def key_fields(key: BlockingKey) -> tuple[str, ...]:
    return tuple(_split(part)[0] for part in key)


def _part_expr(part: str, dtype: pl.DataType) -> pl.Expr:
    name, transform = _split(part)
    col = pl.col(name)
    if transform == "year":
        return col.dt.year().cast(pl.String)
    text = col.dt.strftime("%Y-%m-%d") if dtype == pl.Date else col.cast(pl.String)
    if transform in ("head", "tail"):
        length = text.str.len_chars()
        half = (length + 1) // 2
        piece = text.str.slice(0, half) if transform == "head" else text.str.slice(half)
        return pl.when(length >= MIN_SPLIT_LENGTH).then(piece)
    if transform == "prefix":
        return text.str.slice(0, 3)
    if transform == "initials":
        hangul = text.str.normalize("NFD").str.replace_all(r"[^\u1100-\u1112]", "")
        latin = text.str.to_uppercase().str.extract_all(r"\b[A-Z]").list.join("")
        return pl.when(text.str.contains(r"\p{Hangul}")).then(hangul).otherwise(latin)
    return text


def key_expr(key: BlockingKey, schema: pl.Schema) -> pl.Expr:
    """The block value of a key: its parts joined; null when any part is null or empty."""
    parts = [_part_expr(part, schema[_split(part)[0]]) for part in key]
    parts = [pl.when(p.str.len_bytes() > 0).then(p) for p in parts]
    return pl.concat_str(parts, separator=_SEP, ignore_nulls=False)


def candidate_pairs(
    agency: pl.DataFrame,
    master: pl.DataFrame,
    keys: Sequence[BlockingKey],
    *,
    max_block_pairs: int,
    max_pairs_per_record: float | None = None,
    agency_id: str = "__a",
    master_id: str = "__m",
) -> tuple[pl.DataFrame, list[KeyStats]]:
    """Distinct (agency_id, master_id) pairs sharing a block on at least one key.

    Keys whose fields are missing from either frame are skipped. A block with more
    than ``max_block_pairs`` pairs is skipped for that key and counted in the stats.
    A key that would still produce more than ``max_pairs_per_record`` pairs per
    agency record (and more than ``max_block_pairs`` in all) is not selective
    anywhere -- the first half of a region-prefixed number -- and is dropped.
    """
    budget = (
        None
        if max_pairs_per_record is None
        else max(max_pairs_per_record * agency.height, max_block_pairs)
    )
    frames: list[pl.DataFrame] = []
    stats: list[KeyStats] = []
    for key in keys:
        fields = key_fields(key)
        if any(f not in agency.columns or f not in master.columns for f in fields):
            continue
        a = agency.select(agency_id, key_expr(key, agency.schema).alias("k")).drop_nulls("k")
        m = master.select(master_id, key_expr(key, master.schema).alias("k")).drop_nulls("k")
        sizes = (
            a.group_by("k")
            .len("na")
            .join(m.group_by("k").len("nm"), on="k")
            .with_columns(pairs=pl.col("na").cast(pl.Int64) * pl.col("nm").cast(pl.Int64))
        )
        over = sizes.filter(pl.col("pairs") > max_block_pairs)
        kept = sizes.filter(pl.col("pairs") <= max_block_pairs)
        planned = int(kept.get_column("pairs").sum())
        if budget is not None and planned > budget:
            stats.append(
                KeyStats(key_name(key), sizes.height, sizes.height, planned, 0, dropped=True)
            )
            continue
        pairs = (
            a.join(kept.select("k"), on="k", how="semi")
            .join(m, on="k")
            .select(agency_id, master_id)
        )
        frames.append(pairs)
        stats.append(
            KeyStats(
                key=key_name(key),
                blocks=sizes.height,
                skipped_blocks=over.height,
                skipped_pairs=int(over.get_column("pairs").sum()),
                pairs=pairs.height,
            )
        )
    if not frames:
        schema = {agency_id: agency.schema[agency_id], master_id: master.schema[master_id]}
        return pl.DataFrame(schema=schema), stats
    return pl.concat(frames).unique(), stats
