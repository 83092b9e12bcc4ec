"""Tabular input shared by sync (owning agencies' snapshots) and reconciliation (copies)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from entities.vocabulary import normalise_label
from mdr.errors import InvalidInput

UTF8: Final = "utf-8"
CP949: Final = "cp949"
#: Accepted spellings of the two encodings Korean agencies' files come in.
ENCODINGS: Final = {
    "utf8": UTF8,
    "utf-8": UTF8,
    "utf-8-sig": UTF8,
    "utf8-sig": UTF8,
    # EUC-KR files from Windows are in practice CP949 (its superset, with the
    # extended Hangul syllables); decoding them as strict EUC-KR would reject them.
    "cp949": CP949,
    "euc-kr": CP949,
    "euckr": CP949,
    "ms949": CP949,
    "uhc": CP949,
    "windows-949": CP949,
}


def normalise_encoding(encoding: str | None) -> str:
    """``utf-8`` or ``cp949`` for an accepted spelling (UTF-8 when none is given)."""
    if encoding is None:
        return UTF8
    found = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if found is None:
        raise InvalidInput(
            f"unsupported encoding {encoding!r}; use utf-8 (default) or cp949 (also euc-kr)",
            encoding=encoding,
        )
    return found


def parquet_column_as_text(series: pl.Series, where: str, *,
                           whole_floats_as_integers: bool) -> pl.Series:
    """A typed Parquet column in the text form a CSV export of it would have.

    Whole floats become integers when asked (integers stored as floats, as pandas does
    for columns with nulls); dates stored as midnight timestamps keep their date form.
    """
    dtype = series.dtype
    if dtype == pl.String:
        return series
    if dtype.is_nested() or dtype == pl.Object:
        raise InvalidInput(
            f"{where}: column {series.name!r} has type {dtype}, which has no text form; "
            "flatten it to one value per row",
            path=where,
            column=series.name,
        )
    if dtype == pl.Date:
        return series.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        midnight = series.drop_nulls().dt.time().eq(dt.time(0)).all()
        return series.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S%.f")
    if dtype.is_float():
        values = series.fill_nan(None)
        present = values.drop_nulls()
        integral = present.is_finite().all() and present.eq(present.floor()).all()
        if whole_floats_as_integers and len(present) and integral:
            return values.cast(pl.Int64).cast(pl.String)
        return values.cast(pl.String)
    try:
        return series.cast(pl.String)  # integers, decimals, booleans, categoricals, binary
    except pl.exceptions.PolarsError:
        raise InvalidInput(
            f"{where}: column {series.name!r} ({dtype}) cannot be read as UTF-8 text",
            path=where,
            column=series.name,
        ) from None


def unused_entries(mapping: Mapping[str, object] | None,
                   source_columns: Sequence[str]) -> list[str]:
    """Mapping keys that name no column of the source (as written, stripped or by
    normalised name): usually a typo in the mapping file, which would otherwise
    pass unnoticed while the column it meant goes unmapped."""
    present = {c for column in source_columns for c in (column, column.strip())}
    labels = {normalise_label(column) for column in source_columns}
    return [key for key in (mapping or {})
            if key not in present and key.strip() not in present
            and normalise_label(key) not in labels]
