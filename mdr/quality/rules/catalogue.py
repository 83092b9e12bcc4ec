"""All rules in their fixed order, by id, and the selection the runner and the CLI use."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache

from entities.registry import DATASETS, get_dataset
from mdr.errors import NotFound
from mdr.quality.models import Dimension
from mdr.quality.rules.derived import derived_rules
from mdr.quality.rules.hand_written import hand_written_rules
from mdr.quality.rules.model import Rule


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[Rule, ...]
    by_id: dict[str, Rule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate rule ids: {sorted(duplicates)}")
        self.by_id.update({r.id: r for r in self.rules})


@cache
def catalogue() -> Catalogue:
    """All rules, in dataset dependency order; within a dataset by family."""
    order = {d: i for i, d in enumerate(DATASETS)}
    families = ("required", "validity", "uniqueness", "relation", "consistency",
                "timeliness", "accuracy")
    rules = [r for spec in DATASETS.values() for r in derived_rules(spec)]
    rules += hand_written_rules()
    rules.sort(key=lambda r: (order[r.dataset], families.index(r.family)))
    return Catalogue(tuple(rules))


def all_rules() -> tuple[Rule, ...]:
    return catalogue().rules


def get_rule(rule_id: str) -> Rule:
    try:
        return catalogue().by_id[rule_id]
    except KeyError:
        raise _unknown_rule(rule_id) from None


def _unknown_rule(pattern: str) -> NotFound:
    near = get_close_matches(pattern, list(catalogue().by_id), n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else "; see `mdr checks list`"
    return NotFound(f"unknown rule {pattern!r}{hint}", rule=pattern)


def select_rules(
    datasets: Iterable[str] | None = None,
    rules: Iterable[str] | None = None,
    dimensions: Iterable[Dimension | str] | None = None,
    *,
    with_dependents: bool = False,
) -> list[Rule]:
    """Rules of ``datasets`` (all when None) matching ``rules`` (ids or shell patterns).

    ``with_dependents`` adds rules of other datasets that read one of ``datasets``
    (after a parcel sync, the references to parcels are rechecked too). Unknown
    datasets raise :class:`~mdr.errors.UnknownDataset`; a rule id or pattern that
    matches nothing raises :class:`~mdr.errors.NotFound`.
    """
    wanted = None if datasets is None else {get_dataset(d).name for d in datasets}
    selected = [
        r for r in all_rules()
        if wanted is None or r.dataset in wanted
        or (with_dependents and any(d in wanted for d in r.reads))
    ]
    if rules is not None:
        patterns = list(rules)
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(r.id, pattern) for r in all_rules()):
                raise _unknown_rule(pattern)
        selected = [r for r in selected if any(fnmatch.fnmatchcase(r.id, p) for p in patterns)]
    if dimensions is not None:
        dims = {Dimension(d) for d in dimensions}
        selected = [r for r in selected if r.dimension in dims]
    return selected
