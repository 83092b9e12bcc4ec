"""Masking of personal identifiers for display (reports, CLI, console).

Korean practice (개인정보 표시 제한) shows the first part of an identifier and
hides the rest, e.g. an RRN as ``900101-1******``. Values of fields whose PII
class is not ``none`` are masked wherever a person who is not entitled to them
may see them; the audit and the database keep the real value.
"""

from __future__ import annotations

from entities.spec import PII, DatasetSpec


def mask(value: str | None, keep: int = 6) -> str | None:
    """Keep the first ``keep`` characters (fewer for short values), star the rest."""
    if value is None:
        return None
    keep = min(keep, max(1, len(value) // 3))
    return value[:keep] + "*" * (len(value) - keep)


def mask_field(spec: DatasetSpec, field: str, value: str | None) -> str | None:
    """Mask ``value`` if the dataset's ``field`` holds personal data."""
    try:
        pii = spec.field_spec(field).pii
    except KeyError:
        return value
    return mask(value) if pii is not PII.NONE else value
