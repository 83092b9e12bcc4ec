"""Tabular input shared by sync (owning agencies' snapshots) and reconciliation (copies)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from mdr.errors import InvalidInput


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
