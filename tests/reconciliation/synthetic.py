"""Synthetic resident masters and corrupted agency copies with known truth.

Used by the linkage tests and by :mod:`tests.reconciliation.scale_check`. Vectorised
(numpy and polars) so a million rows take seconds. The corruptions are the ones
an agency copy really shows: reformatted identifiers (hyphens, full-width digits),
missing or mistyped keys, one-jamo name typos, spaces inside names, dates in
every Korean spelling and with swapped day and month, moved addresses, Korean
code labels, stale statuses, records the master lacks and records the copy lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from entities.identifiers import VALIDATORS

SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
# Shares (%) of the surnames above, roughly as in the 2015 census.
# fmt: off
SURNAME_WEIGHTS = np.array([
    21.5, 14.7, 8.4, 4.7, 4.3, 2.4, 2.1, 2.1, 2.0, 2.0, 1.5, 1.5, 1.5, 1.5, 1.4, 1.4, 1.3,
    1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 0.9, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 0.4,
    0.4, 0.4, 0.4, 0.4, 0.4, 0.4,
])
# fmt: on
GIVEN = "민서준지현우예도하윤수연은유진영재아건주시원성호동혁태희소정채다빈나훈경선미혜"
# fmt: off
SIGUNGU = [
    "11110", "11140", "11170", "11200", "11215", "11230", "11260", "11290", "11305", "11320",
    "11350", "11380", "11410", "11440", "11470", "11500", "11530", "11545", "11560", "11590",
    "11620", "11650", "11680", "11710", "11740", "26110", "26140", "26170", "27110", "27140",
    "28110", "28140", "29110", "30110", "31110", "36110", "41111", "41113", "41115", "41117",
    "41131", "41133", "41135", "41150", "41171", "41173", "41190", "43111", "44131", "46110",
    "47111", "48121", "50110", "51110", "52111",
]
# fmt: on

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


@dataclass(frozen=True)
class Case:
    """A master, an agency copy of it (raw text) and the truth."""

    master: pl.DataFrame  # canonical columns, canonical values (as text)
    agency: pl.DataFrame  # canonical columns, corrupted raw text
    truth: pl.DataFrame  # agency_row, master_key (null: the master lacks the record)


def _names(rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    """(n, 3) Hangul code points: a surname and a two-syllable given name."""
    weights = SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()
    surname = np.array([ord(c) for c in SURNAMES])[rng.choice(len(SURNAMES), n, p=weights)]
    given = np.array([ord(c) for c in GIVEN])[rng.integers(0, len(GIVEN), (n, 2))]
    return np.column_stack([surname, given])


def _text(codes: npt.NDArray[np.int64]) -> list[str]:
    return ["".join(map(chr, row)) for row in codes.tolist()]


def residents(n: int, seed: int = 0) -> pl.DataFrame:
    """A resident master of ``n`` records in households, every value canonical.

    Members of a household (2.3 people on average) share its address, region,
    household number and move-in date, and most share the head's surname: the
    correlated fields that tempt a probabilistic linker to join relatives.
    """
    rng = np.random.default_rng(seed)
    lo = np.datetime64("1935-01-01")
    span = int((np.datetime64("2019-12-31") - lo).astype(np.int64))
    birth = lo + rng.integers(0, span, n)
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    rrn = VALIDATORS["rrn"].generate_many(rng, n, unique=True, birth=birth, sex=sex)
    n_households = max(1, int(n / 2.3))
    household = np.sort(rng.integers(0, n_households, n))
    sigungu = np.asarray(SIGUNGU)[rng.integers(0, len(SIGUNGU), n_households)]
    address = np.asarray(
        VALIDATORS["road_address_id"].generate_many(rng, n_households, sigungu=sigungu)
    )[household]
    household_no = rng.integers(10**9, 10**11, n_households)[household]
    moved = np.datetime64("1990-01-01") + rng.integers(0, 365 * 34, n_households)
    move_in = np.maximum(moved[household], birth)
    head = np.r_[True, household[1:] != household[:-1]]
    names = _names(rng, n)
    family = rng.random(n) < 0.8
    names[family, 0] = names[np.searchsorted(household, household), 0][family]
    status = np.where(rng.random(n) < 0.97, "alive", "deceased")
    return pl.DataFrame(
        {
            "rrn": rrn,
            "name": _text(names),
            "birth_date": birth.astype("datetime64[D]"),
            "sex": sex,
            "address_id": address,
            "household_id": [f"{x:011d}" for x in household_no],
            "household_role": np.where(head, "head", "member"),
            "move_in_date": move_in.astype("datetime64[D]"),
            "status": status,
            "region_code": [a[:5] for a in address],
        }
    ).with_columns(pl.col("birth_date", "move_in_date").cast(pl.Date))


def _join_households(
    extra: pl.DataFrame, master: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Move half of ``extra`` into random master households (new relatives)."""
    joins = rng.random(extra.height) < 0.5
    hosts = master[rng.integers(0, master.height, int(joins.sum()))]
    shared = ["address_id", "household_id", "move_in_date", "region_code"]
    rows = np.flatnonzero(joins)
    updated = extra.with_row_index("i")
    replacement = hosts.select(shared).with_columns(
        i=pl.Series(rows, dtype=pl.UInt32),
        surname=pl.col("address_id").str.slice(0, 0) + hosts.get_column("name").str.slice(0, 1),
    )
    updated = updated.join(replacement, on="i", how="left", suffix="_host")
    return updated.select(
        "rrn",
        pl.coalesce(pl.col("surname") + pl.col("name").str.slice(1), pl.col("name")).alias("name"),
        "birth_date",
        "sex",
        *[pl.coalesce(f"{c}_host", c).alias(c) for c in shared[:3]],
        pl.lit("member").alias("household_role"),
        "status",
        pl.coalesce("region_code_host", "region_code").alias("region_code"),
    ).select(master.columns)


def _jamo_typo(names: list[str], rng: np.random.Generator) -> list[str]:
    """Change the vowel of one given-name syllable (a one-jamo typo)."""
    out = []
    for name, pos, vowel in zip(
        names, rng.integers(1, 3, len(names)), rng.integers(1, 21, len(names)), strict=True
    ):
        code = ord(name[pos]) - 0xAC00
        lead, mid, tail = code // 588, (code % 588) // 28, code % 28
        mid = (mid + int(vowel)) % 21
        out.append(name[:pos] + chr(0xAC00 + lead * 588 + mid * 28 + tail) + name[pos + 1 :])
    return out


def _key_typo(keys: list[str], rng: np.random.Generator) -> list[str]:
    """One digit changed, or two adjacent digits swapped, outside the birth date."""
    out = []
    for key, pos, digit, swap in zip(
        keys,
        rng.integers(7, 12, len(keys)),
        rng.integers(1, 10, len(keys)),
        rng.random(len(keys)) < 0.3,
        strict=True,
    ):
        chars = list(key)
        if swap and chars[pos] != chars[pos + 1]:
            chars[pos], chars[pos + 1] = chars[pos + 1], chars[pos]
        else:
            chars[pos] = str((int(chars[pos]) + int(digit)) % 10)
        out.append("".join(chars))
    return out


def _spell_dates(dates: pl.Series, style: npt.NDArray[np.int64]) -> pl.Series:
    """Dates in the usual Korean spellings, chosen per row by ``style`` (0-5)."""
    d = pl.col("d")
    y, m, day = (
        d.dt.year().cast(pl.String),
        d.dt.month().cast(pl.String),
        d.dt.day().cast(pl.String),
    )
    spelled = [
        d.dt.strftime("%Y-%m-%d"),
        d.dt.strftime("%Y.%m.%d"),
        d.dt.strftime("%Y%m%d"),
        pl.format("{}-{}-{}", y, m, day),
        d.dt.strftime("%Y/%m/%d"),
        pl.format("{}년 {}월 {}일", y, m, day),
    ]
    frame = pl.DataFrame({"d": dates, "s": style})
    choice = pl.concat_list(spelled).list.get(pl.col("s"))
    return frame.select(choice.alias("v")).to_series()


@dataclass(frozen=True)
class Rates:
    """Share of agency rows given each corruption."""

    coverage: float = 0.97  # master records present in the copy
    extra: float = 0.01  # copy records the master lacks (relative to the master size)
    key_missing: float = 0.01
    key_typo: float = 0.01
    name_typo: float = 0.02
    name_space: float = 0.03
    date_swap: float = 0.003
    moved: float = 0.03
    household: float = 0.01
    stale_status: float = 0.005


def agency_copy(master: pl.DataFrame, seed: int = 1, rates: Rates | None = None) -> Case:
    """A corrupted, shuffled copy of ``master`` plus records the master lacks."""
    r = rates or Rates()
    rng = np.random.default_rng(seed)
    n = master.height
    keep = np.flatnonzero(rng.random(n) < r.coverage)
    extra = _join_households(residents(int(n * r.extra), seed=seed + 1000), master, rng)
    copy = pl.concat([master[keep], extra])
    truth_key = pl.concat(
        [master.get_column("rrn")[keep], pl.Series([None] * extra.height, dtype=pl.String)]
    )
    order = rng.permutation(copy.height)
    copy, truth_key = copy[order], truth_key.gather(order)
    size = copy.height

    def pick(rate: float) -> npt.NDArray[np.int64]:
        return np.flatnonzero(rng.random(size) < rate)

    rrn = copy.get_column("rrn").to_list()
    for i, v in zip(typo := pick(r.key_typo), _key_typo([rrn[i] for i in typo], rng), strict=True):
        rrn[i] = v
    styles = rng.integers(0, 4, size)
    for i in range(size):
        key = rrn[i]
        if styles[i] == 1:
            rrn[i] = f"{key[:6]}-{key[6:]}"
        elif styles[i] == 2:
            rrn[i] = "".join(FULL_WIDTH[c] for c in key)
        elif styles[i] == 3:
            rrn[i] = f"{key[:6]} - {key[6:]}"
    missing: list[str | None] = list(rrn)
    for i in pick(r.key_missing):
        missing[i] = None

    names = copy.get_column("name").to_list()
    for i, v in zip(t := pick(r.name_typo), _jamo_typo([names[i] for i in t], rng), strict=True):
        names[i] = v
    for i in pick(r.name_space):
        names[i] = names[i][0] + " " + names[i][1:]

    swap = np.zeros(size, dtype=bool)
    swap[pick(r.date_swap)] = True
    swapped = copy.select(
        pl.when(pl.Series(swap) & (pl.col("birth_date").dt.day() <= 12))
        .then(
            pl.date(
                pl.col("birth_date").dt.year(),
                pl.col("birth_date").dt.day(),
                pl.col("birth_date").dt.month(),
            )
        )
        .otherwise(pl.col("birth_date"))
    ).to_series()
    moved = pick(r.moved)
    new_address = VALIDATORS["road_address_id"].generate_many(
        rng, len(moved), sigungu=np.asarray(SIGUNGU)[rng.integers(0, len(SIGUNGU), len(moved))]
    )
    address = copy.get_column("address_id").to_list()
    for i, v in zip(moved, new_address, strict=True):
        address[i] = v
    household = copy.get_column("household_id").to_list()
    for i in pick(r.household):
        household[i] = f"{rng.integers(10**9, 10**11):011d}"
    status = copy.get_column("status").to_list()
    for i in pick(r.stale_status):
        status[i] = "생존" if status[i] == "deceased" else "사망"
    sex = copy.get_column("sex").replace_strict({"M": "남", "F": "여"})
    sex_text = pl.select(
        pl.when(pl.Series(rng.random(size) < 0.5)).then(sex).otherwise(copy.get_column("sex"))
    ).to_series()

    agency = pl.DataFrame(
        {
            "rrn": pl.Series(missing, dtype=pl.String),
            "name": names,
            "birth_date": _spell_dates(swapped, rng.integers(0, 6, size)),
            "sex": sex_text,
            "address_id": address,
            "household_id": household,
            "household_role": copy.get_column("household_role").replace_strict(
                {"head": "세대주", "member": "세대원"}
            ),
            "move_in_date": _spell_dates(copy.get_column("move_in_date"), rng.integers(0, 6, size)),
            "status": status,
            "region_code": [a[:5] for a in address],
        }
    )
    master_text = master.with_columns(pl.col("birth_date", "move_in_date").cast(pl.String))
    truth = pl.DataFrame({"agency_row": np.arange(size, dtype=np.int64), "master_key": truth_key})
    return Case(master=master_text, agency=agency, truth=truth)


def precision_recall(outcomes: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, float]:
    """Precision and recall of the links (match or match_with_differences) against truth."""
    linked = outcomes.filter(pl.col("outcome").is_in(["match", "match_with_differences"]))
    joined = linked.join(truth, on="agency_row", suffix="_true")
    correct = joined.filter(pl.col("master_key") == pl.col("master_key_true")).height
    true_pairs = truth.filter(pl.col("master_key").is_not_null()).height
    precision = correct / linked.height if linked.height else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    return precision, recall
