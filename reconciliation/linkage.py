"""The linkage engine: an agency copy against the master, as two polars frames.

:func:`link` takes two frames already passed through
:func:`reconciliation.normalise.normalise_frame` (the master with its natural
key, the agency copy with a 0-based ``agency_row``) and decides, for every
agency row, which master record it is (if any) and how they differ. No database
is involved: intake, storage of outcomes and the steward inbox are built on top.

Tiers, each seeing only what the previous left unlinked:

1. **key** -- equality of the normalised natural key. When several agency rows
   carry one key, the one with the fewest differing fields links and the others
   go on to tier 2 (their key may be a typo of another record's); if nothing else
   claims them they end ``ambiguous`` toward the key's master record.
2. **secondary** -- equality on each ``spec.linkage.secondary_keys`` tuple, only
   for values that occur once in the master and once in the agency copy.
3. **probabilistic** -- for the agency rows and master records left over:
   blocking on several keys (:mod:`reconciliation.blocking`), multi-level field
   comparisons (:mod:`reconciliation.comparators`) and a Fellegi-Sunter model
   (:mod:`reconciliation.fellegi_sunter`) whose parameters come without labels
   (:mod:`reconciliation.model`):

   * *anchored* (at least ``min_anchor_links`` key-tier links, the usual case):
     m from the key-tier links (true matches, so their other fields show the
     copy's real error rates), u from random agency x master pairs and exact
     value frequencies; EM fits the key field's m (its typos live here) and
     lambda over all leftover pairs. Weights are then relative to random pairs,
     so a candidate sharing only the field it was blocked on gains nothing for
     it; dependent fields (an address, its household and region) are capped so
     a relative cannot pass for the person;
   * *free* (a copy without keys, like FEBRL4): m, u and lambda all fitted by EM
     on the candidate pairs, starting from the comparators' defaults.

One-to-one assignment (tier 3): pairs scoring at least ``review_threshold`` are
assigned best first (rounds of mutually-best pairs, which equals greedy
assignment by weight). An assigned pair is a link when its score reaches
``match_threshold`` and no competing pair on either side comes within
``ambiguity_margin`` bits of its weight; otherwise it is ``ambiguous``. A
competitor whose other side was assigned with a higher weight is explained
away and does not count. An unassigned agency row whose best pair lost a
master record by less than the margin is ``ambiguous`` too; otherwise it is
``agency_only``. An ambiguous pair names its master record and claims it: the
record is not also reported ``master_only``.

Scores: 1.0 for deterministic links (the rule is decisive); the posterior match
probability for probabilistic and ambiguous pairs; for ``agency_only`` the best
posterior among the row's candidates (0 without candidates).

Differences: for every linked or ambiguous pair, the compared fields whose
normalised values differ. A null on one side is a difference only when the
other side has a value (the copy lacks what the master holds, or the reverse);
two nulls agree. Fields the agency file does not supply at all (absent or
entirely null) and fields with ``Comparator.NONE`` (status dates) are neither
compared nor reported.

Defaults and how they were chosen. On FEBRL4 (``bench/reconcile_febrl.py``) and
on synthetic resident copies with households, typos, moves and missing keys
(``tests/reconciliation/scale_check.py``), true links score above 0.99 and
precision and recall did not change for match thresholds from 0.5 to 0.99 or
margins from 0 to 8 bits; so the defaults are set for safety, trading only how
many borderline pairs reach a steward:

* ``match_threshold = 0.95``: a link is made automatically only at 19:1 odds;
* ``review_threshold = 0.5``: below even odds a pair is not offered at all;
* ``ambiguity_margin = 5`` bits: the best pair must be 32 times likelier than
  any unexplained competitor (twins, duplicated rows);
* ``max_block_pairs = 10,000`` per block and key (e.g. 100 x 100 records):
  above it a key is not selective there and is skipped for that block (counted
  in ``stats.blocking``); the derived, refined keys still cover those records;
* ``max_pairs_per_record = 25`` per key: a key that would add more candidate
  pairs than that per leftover agency record (and more than ``max_block_pairs``
  in all) is dropped as unselective. On the generated 1M resident copy the
  half of the household number (a region prefix) would have added 45 pairs
  per record; FEBRL4's busiest key, the given name, adds 15.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from entities.spec import Comparator, DatasetSpec, FieldSpec
from mdr.errors import InvalidInput
from reconciliation import blocking, comparators, model
from reconciliation.fellegi_sunter import FieldPrior, FSModel, GroupCap, fit, prior_model

RULE_VERSION = "mdr-linkage/1"
"""Version of the linkage rules; bump it when tiers, comparators or defaults change."""

OUTCOMES = ("match", "match_with_differences", "agency_only", "ambiguous")
TIERS = ("key", "secondary", "probabilistic")

_A = "__a"  # agency row position
_M = "__m"  # master row position


@dataclass(frozen=True)
class LinkSettings:
    """Knobs of :func:`link`; defaults are documented in the module docstring."""

    match_threshold: float = 0.95
    review_threshold: float = 0.5
    ambiguity_margin: float = 5.0  # bits of match weight
    max_block_pairs: int = 10_000
    max_pairs_per_record: float = 25.0  # per blocking key and tier-2 agency record
    blocking: tuple[tuple[str, ...], ...] | None = None  # exactly these; None: spec + derived
    derived_blocking: bool = True
    compare_fields: tuple[str, ...] | None = None  # None: every compared field supplied
    use_secondary_keys: bool = True
    scope: tuple[str, ...] | None = None  # prefixes of the spec's scope field
    em_max_iterations: int = 200
    em_tolerance: float = 1e-6
    prior_strength: float = 20.0
    random_pairs: int = 50_000  # random agency x master pairs sampled for u
    m_sample: int = 50_000  # key-tier links sampled for m
    min_anchor_links: int = 100  # key-tier links needed to take m from them
    cap_dependent_fields: bool = True  # bound the summed weight of dependent fields
    min_lift: float = 20.0  # agreement lift that makes two fields dependent
    frequency_sample: int = 200_000  # master rows sampled for exact-agreement rates
    deterministic_evidence: str = "differences"  # or "all": every compared field
    seed: int = 0
    workers: int = -1  # rapidfuzz threads (-1: all cores)

    def __post_init__(self) -> None:
        if not 0.0 <= self.review_threshold <= self.match_threshold <= 1.0:
            raise ValueError("need 0 <= review_threshold <= match_threshold <= 1")
        if self.deterministic_evidence not in ("differences", "all"):
            raise ValueError("deterministic_evidence is 'differences' or 'all'")
        if self.max_block_pairs < 1:
            raise ValueError("max_block_pairs must be positive")


@dataclass
class LinkStats:
    """What the run did, for logs, benchmarks and the issue note."""

    agency_rows: int = 0
    master_rows: int = 0
    compared_fields: list[str] = field(default_factory=list)
    tier_links: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    master_only: int = 0
    tier2_agency_rows: int = 0
    tier2_master_rows: int = 0
    candidate_pairs: int = 0
    pairs_per_agency_record: float = 0.0
    max_pairs_per_agency_record: int = 0
    blocking: list[dict[str, object]] = field(default_factory=list)
    dependent_fields: dict[str, object] = field(default_factory=dict)
    model: dict[str, object] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class LinkResult:
    """Outcomes per agency row, their evidence, and master records nobody linked.

    ``outcomes``: agency_row, master_key, outcome, score, differing_fields, tier.
    ``evidence``: agency_row, field, agency_value, master_value, level, weight.
    ``master_only``: master_key.
    """

    outcomes: pl.DataFrame
    evidence: pl.DataFrame
    master_only: pl.DataFrame
    stats: LinkStats
    model: FSModel
    rule_version: str


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - start, 4)


def rule_version(spec: DatasetSpec, settings: LinkSettings) -> str:
    """``RULE_VERSION`` plus a digest of everything that shapes decisions."""
    material = {
        "dataset": spec.name,
        "fields": [(f.name, f.compare.value) for f in spec.fields],
        "linkage": [list(map(list, spec.linkage.secondary_keys)), list(spec.linkage.blocking)],
        "settings": {
            k: v
            for k, v in asdict(settings).items()
            if k not in ("workers", "deterministic_evidence")
        },
        "schemes": {c.value: asdict(s) for c, s in comparators.SCHEMES.items()},
    }
    digest = hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode())
    return f"{RULE_VERSION}+{digest.hexdigest()[:12]}"


def link(
    spec: DatasetSpec,
    master: pl.DataFrame,
    agency: pl.DataFrame,
    *,
    settings: LinkSettings | None = None,
) -> LinkResult:
    """Link every agency row to at most one master record (see the module docstring)."""
    settings = settings or LinkSettings()
    return _Linker(spec, master, agency, settings).run()


@dataclass
class _Pairs:
    """Linked or ambiguous pairs of one tier, by row position."""

    a: npt.NDArray[np.int64]
    m: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    tier: str
    ambiguous: bool = False
    rule_fields: tuple[str, ...] = ()
    diffs: npt.NDArray[np.uint64] | None = None  # bit k set: compared field k differs


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(schema={_A: pl.Int64, _M: pl.Int64})


class _Linker:
    def __init__(
        self, spec: DatasetSpec, master: pl.DataFrame, agency: pl.DataFrame, s: LinkSettings
    ) -> None:
        if spec.key not in master.columns:
            raise InvalidInput(f"master frame lacks the key column {spec.key!r}")
        scope_field = spec.linkage.scope_field
        if s.scope is not None and (scope_field is None or scope_field not in master.columns):
            raise InvalidInput(f"{spec.name} has no scope field to restrict the master to")
        self.spec = spec
        self.s = s
        self.stats = LinkStats(agency_rows=agency.height, master_rows=master.height)
        self.clock = _Clock(self.stats.timings)
        if "agency_row" not in agency.columns:
            agency = agency.with_row_index("agency_row")
        self.agency = agency.with_columns(
            pl.col("agency_row").cast(pl.Int64), pl.int_range(pl.len(), dtype=pl.Int64).alias(_A)
        )
        self.master = master.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(_M))
        self.fields = self._compared_fields()
        self.names = [f.name for f in self.fields]
        self._check_types()
        self.stats.compared_fields = list(self.names)
        self.master_claimed = np.zeros(master.height, dtype=bool)
        self.agency_decided = np.zeros(agency.height, dtype=bool)
        self.best_score = np.zeros(agency.height)
        self.links: list[_Pairs] = []
        self.model: FSModel | None = None
        self.caps: list[GroupCap] = []

    # ---------------------------------------------------------------- set-up

    def _compared_fields(self) -> tuple[FieldSpec, ...]:
        wanted = self.s.compare_fields
        if wanted is not None:
            unknown = sorted(set(wanted) - set(self.spec.field_names))
            if unknown:
                raise InvalidInput(f"{self.spec.name} has no fields {', '.join(unknown)}")
        out: list[FieldSpec] = []
        for f in self.spec.fields:
            if f.compare is Comparator.NONE or (wanted is not None and f.name not in wanted):
                continue
            if not self._supplied(f.name) or f.name not in self.master.columns:
                continue
            out.append(f)
        return tuple(out)

    def _check_types(self) -> None:
        """Both frames must come from ``normalise_frame``: compared columns of equal types."""
        if len(self.fields) > 64:
            raise InvalidInput("at most 64 compared fields are supported")
        wrong = [
            f"{n} ({self.agency.schema[n]} in the copy, {self.master.schema[n]} in the master)"
            for n in [*self.names, self.spec.key]
            if n in self.agency.columns
            and n in self.master.columns
            and self.agency.schema[n] != self.master.schema[n]
            and self.agency.schema[n] != pl.Null
        ]
        if wrong:
            raise InvalidInput(
                "normalise both frames with reconciliation.normalise.normalise_frame first; "
                f"column types differ: {', '.join(wrong)}"
            )

    def _supplied(self, name: str) -> bool:
        """An agency column counts only if it exists and holds at least one value."""
        return (
            name in self.agency.columns
            and self.agency.get_column(name).null_count() < self.agency.height
        )

    def _add(self, pairs: _Pairs) -> None:
        """Record linked or ambiguous pairs; both sides leave the later tiers."""
        self.links.append(pairs)
        self.agency_decided[pairs.a] = True
        self.master_claimed[pairs.m] = True

    def _gather(
        self, a: npt.NDArray[np.int64], m: npt.NDArray[np.int64], name: str
    ) -> tuple[pl.Series, pl.Series]:
        return (
            self.agency.get_column(name).gather(a),
            self.master.get_column(name).gather(m),
        )

    def _diffs(self, a: npt.NDArray[np.int64], m: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        """Bit mask per pair: bit k is set when compared field k differs after normalisation.

        Null on both sides agrees; null on one side differs.
        """
        mask = np.zeros(len(a), dtype=np.uint64)
        if not self.names or len(a) == 0:
            return mask
        left = self.agency.select(pl.col(self.names).gather(a))
        right = self.master.select(pl.col(self.names).gather(m))
        for k, name in enumerate(self.names):
            differ = ~left.get_column(name).eq_missing(right.get_column(name))
            mask |= differ.to_numpy().astype(np.uint64) << np.uint64(k)
        return mask

    def _levels(self, a: npt.NDArray[np.int64], m: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
        """(pairs x compared fields) agreement levels."""
        out = np.empty((len(a), len(self.fields)), dtype=np.int8)
        for k, f in enumerate(self.fields):
            left, right = self._gather(a, m, f.name)
            out[:, k] = comparators.compare(f, left, right, workers=self.s.workers)
        return out

    # ------------------------------------------------------------------ run

    def run(self) -> LinkResult:
        with self.clock.stage("tier1_key"):
            contested = self._tier_key()
        with self.clock.stage("tier1_secondary"):
            if self.s.use_secondary_keys:
                self._tier_secondary()
        with self.clock.stage("model_priors"):
            priors, anchored = self._priors()
        self._tier_probabilistic(priors, anchored, contested)
        with self.clock.stage("assemble"):
            return self._assemble()

    # ------------------------------------------------------------------ tier 1

    def _tier_key(self) -> pl.DataFrame:
        """Link on the natural key; returns (agency, master) pairs that lost a shared key."""
        key = self.spec.key
        if not self._supplied(key):
            self.stats.tier_links["key"] = 0
            return _empty_pairs()
        unique_master = self.master.select(_M, key).drop_nulls(key).filter(pl.len().over(key) == 1)
        joined = self.agency.select(_A, key).drop_nulls(key).join(unique_master, on=key)
        a = joined.get_column(_A).to_numpy()
        m = joined.get_column(_M).to_numpy()
        diffs = self._diffs(a, m)
        shared = joined.get_column(_M).is_duplicated().to_numpy()
        keep = ~shared
        losers = _empty_pairs()
        if shared.any():
            # several agency rows carry one key: the one with the fewest differences links
            count = _popcount(diffs[shared])
            ranked = (
                pl.DataFrame(
                    {_A: a[shared], _M: m[shared], "d": count, "i": np.flatnonzero(shared)}
                )
                .sort("d", _A)
                .with_columns(rank=pl.int_range(pl.len()).over(_M))
            )
            keep[ranked.filter(pl.col("rank") == 0).get_column("i").to_numpy()] = True
            losers = ranked.filter(pl.col("rank") > 0).select(_A, _M)
        self._add(
            _Pairs(
                a[keep],
                m[keep],
                np.ones(int(keep.sum())),
                "key",
                rule_fields=(key,),
                diffs=diffs[keep],
            )
        )
        self.stats.tier_links["key"] = int(keep.sum())
        return losers

    def _tier_secondary(self) -> None:
        """Link on each secondary key, where its value is unique in master and copy.

        Values are compared by a 64-bit hash of the tuple (uniqueness is counted
        on the hashes), and every joined pair is checked field by field, so a
        hash collision can only make a value look less unique, never link a
        wrong pair.
        """
        total = 0
        for fields in self.spec.linkage.secondary_keys:
            if not all(self._supplied(f) and f in self.master.columns for f in fields):
                continue
            cols = list(fields)
            m_keys = _unique_hashes(self.master, _M, cols)
            a_keys = _unique_hashes(self.agency, _A, cols)
            joined = a_keys.join(m_keys, on="h")
            a = joined.get_column(_A).to_numpy()
            m = joined.get_column(_M).to_numpy()
            free = ~self.agency_decided[a] & ~self.master_claimed[m]
            a, m = a[free], m[free]
            left = self.agency.select(pl.col(cols).gather(a))
            right = self.master.select(pl.col(cols).gather(m))
            same = np.ones(len(a), dtype=bool)
            for c in cols:
                same &= (left.get_column(c) == right.get_column(c)).fill_null(False).to_numpy()
            a, m = a[same], m[same]
            if len(a):
                self._add(_Pairs(a, m, np.ones(len(a)), "secondary", rule_fields=tuple(fields)))
            total += len(a)
        self.stats.tier_links["secondary"] = total

    # ------------------------------------------------------------------ model

    def _priors(self) -> tuple[list[FieldPrior], bool]:
        """Starting m and u per field, dependent-field caps; whether m is anchored.

        See :mod:`reconciliation.model`: m comes from key-tier links when there
        are at least ``min_anchor_links`` of them (else the comparators'
        defaults), u from random agency x master pairs and exact value
        frequencies; dependent fields get a cap on their summed weight.
        """
        rng = np.random.default_rng(self.s.seed)
        freq = model.Frequencies(
            self.master.select(self.names), self.s.frequency_sample, self.s.seed
        )
        key_links = [p for p in self.links if p.tier == "key"]
        anchored = sum(len(p.a) for p in key_links) >= self.s.min_anchor_links
        link_levels = self._sample_levels(key_links, rng) if anchored else None
        random_levels = self._random_levels(rng)
        priors = model.build_priors(
            self.fields,
            freq,
            key=self.spec.key,
            link_levels=link_levels,
            random_levels=random_levels,
        )
        groups: list[tuple[int, ...]] = []
        lifts: dict[str, float] = {}
        if self.s.cap_dependent_fields and anchored:
            groups, lifts = model.dependent_groups(
                self.fields, freq, key=self.spec.key, min_lift=self.s.min_lift
            )
        self.caps = model.build_caps(
            groups,
            self.fields,
            priors,
            freq,
            link_levels=link_levels,
            random_levels=random_levels,
        )
        self.stats.dependent_fields = {
            "groups": ["+".join(self.names[i] for i in g) for g in groups],
            "lifts": lifts,
        }
        return priors, anchored

    def _sample_levels(self, links: list[_Pairs], rng: np.random.Generator) -> npt.NDArray[np.int8]:
        a = np.concatenate([p.a for p in links])
        m = np.concatenate([p.m for p in links])
        if len(a) > self.s.m_sample:
            pick = rng.choice(len(a), self.s.m_sample, replace=False)
            a, m = a[pick], m[pick]
        return self._levels(a, m)

    def _random_levels(self, rng: np.random.Generator) -> npt.NDArray[np.int8]:
        """Levels of random agency x master pairs that are not linked to each other."""
        n_a, n_m = self.agency.height, self.master.height
        if n_a == 0 or n_m == 0:
            return np.empty((0, len(self.fields)), dtype=np.int8)
        size = min(self.s.random_pairs, n_a * n_m)
        a = rng.integers(0, n_a, size)
        m = rng.integers(0, n_m, size)
        linked_to = np.full(n_a, -1, dtype=np.int64)
        for p in self.links:
            linked_to[p.a] = p.m
        keep = linked_to[a] != m
        return self._levels(a[keep], m[keep])

    # ------------------------------------------------------------------ tier 2

    def _tier_probabilistic(
        self, priors: list[FieldPrior], anchored: bool, contested: pl.DataFrame
    ) -> None:
        rest_a = self.agency.filter(pl.Series(~self.agency_decided))
        rest_m = self.master.filter(pl.Series(~self.master_claimed))
        self.stats.tier2_agency_rows = rest_a.height
        self.stats.tier2_master_rows = rest_m.height
        keys = (
            tuple(tuple(k) for k in self.s.blocking)
            if self.s.blocking is not None
            else blocking.blocking_keys(self.spec, derived=self.s.derived_blocking)
        )
        with self.clock.stage("tier2_blocking"):
            pairs, key_stats = blocking.candidate_pairs(
                rest_a,
                rest_m,
                keys,
                max_block_pairs=self.s.max_block_pairs,
                max_pairs_per_record=self.s.max_pairs_per_record,
            )
        self.stats.blocking = [asdict(k) for k in key_stats]
        self.stats.candidate_pairs = pairs.height
        if rest_a.height:
            per = pairs.group_by(_A).len()
            self.stats.pairs_per_agency_record = round(pairs.height / rest_a.height, 3)
            counts = per.get_column("len").to_numpy()
            self.stats.max_pairs_per_agency_record = int(counts.max()) if len(counts) else 0
        a = pairs.get_column(_A).to_numpy()
        m = pairs.get_column(_M).to_numpy()
        with self.clock.stage("tier2_compare"):
            levels = self._levels(a, m)
        with self.clock.stage("tier2_em"):
            self.model = self._fit(levels, priors, anchored, rest_a.height, rest_m.height)
        self.stats.model = {"anchored": anchored, **self.model.as_dict()}
        with self.clock.stage("tier2_assign"):
            weight = self.model.weights(levels)
            score = self.model.posterior(weight)
            np.maximum.at(self.best_score, a, score)
            self._assign(a, m, weight, score)
            self._contested(contested)

    def _fit(
        self,
        levels: npt.NDArray[np.int8],
        priors: list[FieldPrior],
        anchored: bool,
        n_agency: int,
        n_master: int,
    ) -> FSModel:
        """EM: anchored (m and u known, lambda over all tier-2 pairs) or free (on candidates).

        Anchored, the weights are relative to random pairs, so a candidate that
        shares only its blocking field gains nothing for it, and lambda is the share
        of matches among all n_agency x n_master pairs: the posterior of a pair does
        not depend on how blocking found it. Only the key field's m (its typos live
        in this tier, not in the key links) is fitted. Free, m, u and lambda are
        fitted on the candidates (recordlinkage's ECM setting), for copies without
        enough key links.
        """
        if anchored:
            total = max(n_agency * n_master, 1)
            start = min(n_agency, n_master) / total
            return fit(
                levels,
                priors,
                initial_prior=float(np.clip(start, 1e-12, 0.5)),
                prior_strength=self.s.prior_strength,
                max_iterations=self.s.em_max_iterations,
                tolerance=self.s.em_tolerance,
                fixed_m=[f.name != self.spec.key for f in self.fields],
                fixed_u=True,
                total_pairs=total,
                caps=self.caps,
            )
        start = min(n_agency, n_master) / max(levels.shape[0], 1)
        return fit(
            levels,
            priors,
            initial_prior=float(np.clip(start, 1e-4, 0.5)),
            prior_strength=self.s.prior_strength,
            max_iterations=self.s.em_max_iterations,
            tolerance=self.s.em_tolerance,
        )

    def _assign(
        self,
        a: npt.NDArray[np.int64],
        m: npt.NDArray[np.int64],
        weight: npt.NDArray[np.float64],
        score: npt.NDArray[np.float64],
    ) -> None:
        """One-to-one, best first; links, ambiguous pairs and contested losers."""
        s = self.s
        plausible = pl.DataFrame({"a": a, "m": m, "w": weight, "p": score}).filter(
            pl.col("p") >= s.review_threshold
        )
        assigned = _greedy(plausible)
        others = plausible.join(assigned.select("a", "m"), on=["a", "m"], how="anti")
        by_a = assigned.select("a", wa=pl.col("w"))
        by_m = assigned.select("m", wm=pl.col("w"))
        others = others.join(by_a, on="a", how="left").join(by_m, on="m", how="left")
        # a competitor counts against x's pair unless its other side won with more weight
        comp_a = (
            others.filter(
                pl.col("wa").is_not_null() & ~(pl.col("wm") > pl.col("w")).fill_null(False)
            )
            .group_by("a")
            .agg(ca=pl.col("w").max())
        )
        comp_m = (
            others.filter(
                pl.col("wm").is_not_null() & ~(pl.col("wa") > pl.col("w")).fill_null(False)
            )
            .group_by("m")
            .agg(cm=pl.col("w").max())
        )
        decided = (
            assigned.join(comp_a, on="a", how="left")
            .join(comp_m, on="m", how="left")
            .with_columns(comp=pl.max_horizontal("ca", "cm"))
            .with_columns(
                ambiguous=(pl.col("p") < s.match_threshold)
                | (pl.col("w") - pl.col("comp") < s.ambiguity_margin).fill_null(False)
            )
        )
        for flag in (False, True):
            part = decided.filter(pl.col("ambiguous") == flag)
            if part.height:
                self._add(
                    _Pairs(
                        part.get_column("a").to_numpy(),
                        part.get_column("m").to_numpy(),
                        part.get_column("p").to_numpy(),
                        "probabilistic",
                        ambiguous=flag,
                    )
                )
        # agency rows left without a master: ambiguous if they lost one by a small margin
        losers = (
            others.filter(
                ~pl.col("a").is_in(assigned.get_column("a").implode())
                & (pl.col("wm") - pl.col("w") < s.ambiguity_margin)
            )
            .sort("w", "m", descending=[True, False])
            .group_by("a", maintain_order=True)
            .first()
        )
        if losers.height:
            self._add(
                _Pairs(
                    losers.get_column("a").to_numpy(),
                    losers.get_column("m").to_numpy(),
                    losers.get_column("p").to_numpy(),
                    "probabilistic",
                    ambiguous=True,
                )
            )
        self.stats.tier_links["probabilistic"] = int((~decided.get_column("ambiguous")).sum())

    def _contested(self, contested: pl.DataFrame) -> None:
        """Agency rows that lost a shared key and found nothing else: ambiguous toward it."""
        left = contested.filter(pl.Series(~self.agency_decided[contested.get_column(_A)]))
        if left.height == 0 or self.model is None:
            return
        a = left.get_column(_A).to_numpy()
        m = left.get_column(_M).to_numpy()
        score = self.model.posterior(self.model.weights(self._levels(a, m)))
        self._add(_Pairs(a, m, score, "key", ambiguous=True, rule_fields=(self.spec.key,)))

    # ------------------------------------------------------------------ results

    def _assemble(self) -> LinkResult:
        key = self.spec.key
        empty_list = pl.List(pl.String)
        parts: list[pl.DataFrame] = []
        evidence: list[pl.DataFrame] = []
        for p in self.links:
            diffs = p.diffs if p.diffs is not None else self._diffs(p.a, p.m)
            if p.ambiguous:
                outcome = pl.lit("ambiguous")
            else:
                outcome = (
                    pl.when(pl.col("mask") > 0)
                    .then(pl.lit("match_with_differences"))
                    .otherwise(pl.lit("match"))
                )
            parts.append(
                pl.DataFrame(
                    {
                        _A: p.a.astype(np.int64),
                        "master_key": self.master.get_column(key).gather(p.m).cast(pl.String),
                        "score": p.score.astype(np.float64),
                        "mask": diffs,
                    }
                ).with_columns(outcome=outcome, tier=pl.lit(p.tier))
            )
            evidence.append(self._evidence(p, diffs))
        rest = np.flatnonzero(~self.agency_decided)
        agency_only = pl.DataFrame(
            {
                _A: rest.astype(np.int64),
                "master_key": pl.Series([None] * len(rest), dtype=pl.String),
                "score": self.best_score[rest],
                "mask": np.zeros(len(rest), dtype=np.uint64),
            }
        ).with_columns(outcome=pl.lit("agency_only"), tier=pl.lit(None, dtype=pl.String))
        combined = pl.concat([*parts, agency_only], how="vertical_relaxed")
        outcomes = (
            combined.join(_mask_lists(combined.get_column("mask"), self.names), on="mask")
            .join(self.agency.select(_A, "agency_row"), on=_A)
            .sort("agency_row")
            .select(
                "agency_row",
                "master_key",
                "outcome",
                pl.col("score").clip(0.0, 1.0),
                pl.col("differing_fields").cast(empty_list),
                "tier",
            )
        )
        evidence_frame = (pl.concat(evidence) if evidence else _empty_evidence()).sort(
            "agency_row", "field"
        )
        master_only = self._master_only()
        self.stats.outcomes = {
            o: int(n) for o, n in outcomes.get_column("outcome").value_counts().iter_rows()
        }
        self.stats.master_only = master_only.height
        fitted = self.model or prior_model([], 0.0)
        return LinkResult(
            outcomes=outcomes,
            evidence=evidence_frame,
            master_only=master_only,
            stats=self.stats,
            model=fitted,
            rule_version=rule_version(self.spec, self.s),
        )

    def _master_only(self) -> pl.DataFrame:
        left = self.master.filter(pl.Series(~self.master_claimed))
        scope_field = self.spec.linkage.scope_field
        if self.s.scope is not None and scope_field is not None:
            values = pl.col(scope_field).cast(pl.String)
            left = left.filter(pl.any_horizontal([values.str.starts_with(p) for p in self.s.scope]))
        return left.select(pl.col(self.spec.key).cast(pl.String).alias("master_key"))

    def _evidence(self, p: _Pairs, diffs: npt.NDArray[np.uint64]) -> pl.DataFrame:
        """Compared values, level and weight per field of each pair.

        Probabilistic and ambiguous pairs: every compared field. Deterministic
        links: the differing fields and the secondary key's fields (the key tier's
        rule is visible as the master key itself), or every field with
        ``deterministic_evidence="all"``. Weights of a capped dependent group are
        scaled to the capped sum, so a pair's field weights add up to its match
        weight.
        """
        everything = (
            p.tier == "probabilistic" or p.ambiguous or self.s.deterministic_evidence == "all"
        )
        wanted = np.zeros((len(p.a), len(self.fields)), dtype=bool)
        for k, f in enumerate(self.fields):
            if everything or (f.name in p.rule_fields and p.tier == "secondary"):
                wanted[:, k] = True
            else:
                wanted[:, k] = (diffs >> np.uint64(k)) & np.uint64(1) == 1
        rows_needed = np.flatnonzero(wanted.any(axis=1))
        if len(rows_needed) == 0:
            return _empty_evidence()
        a, m = p.a[rows_needed], p.m[rows_needed]
        levels = self._levels(a, m)
        weights = (
            self.model.field_weights(levels)
            if self.model is not None
            else np.zeros(levels.shape, dtype=np.float64)
        )
        agency_row = self.agency.get_column("agency_row").gather(a)
        out: list[pl.DataFrame] = []
        for k, f in enumerate(self.fields):
            sel = np.flatnonzero(wanted[rows_needed, k])
            if len(sel) == 0:
                continue
            left, right = self._gather(a[sel], m[sel], f.name)
            labels = np.asarray([*comparators.scheme(f).labels, "missing"], dtype=object)
            out.append(
                pl.DataFrame(
                    {
                        "agency_row": agency_row.gather(sel),
                        "field": [f.name] * len(sel),
                        "agency_value": left.cast(pl.String),
                        "master_value": right.cast(pl.String),
                        "level": pl.Series(labels[levels[sel, k]].tolist(), dtype=pl.String),
                        "weight": weights[sel, k],
                    }
                )
            )
        return pl.concat(out) if out else _empty_evidence()


def _greedy(pairs: pl.DataFrame) -> pl.DataFrame:
    """Greedy one-to-one by weight, as rounds of mutually-best pairs (ties: lower ids)."""
    taken: list[pl.DataFrame] = []
    rest = pairs
    while rest.height:
        best_a = (
            rest.sort(["w", "m"], descending=[True, False])
            .group_by("a", maintain_order=True)
            .first()
        )
        best_m = (
            rest.sort(["w", "a"], descending=[True, False])
            .group_by("m", maintain_order=True)
            .first()
        )
        mutual = best_a.join(best_m.select("a", "m"), on=["a", "m"])
        taken.append(mutual)
        rest = rest.filter(
            ~pl.col("a").is_in(mutual.get_column("a").implode())
            & ~pl.col("m").is_in(mutual.get_column("m").implode())
        )
    if not taken:
        return pairs.clear()
    return pl.concat(taken)


def _popcount(masks: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Number of set bits per mask (differing fields per pair)."""
    count = np.zeros(len(masks), dtype=np.int64)
    for k in range(64):
        count += ((masks >> np.uint64(k)) & np.uint64(1)).astype(np.int64)
    return count


def _mask_lists(masks: pl.Series, names: Sequence[str]) -> pl.DataFrame:
    """Distinct difference masks -> list of differing field names, in spec order."""
    distinct = masks.unique().to_list()
    lists = [[n for k, n in enumerate(names) if int(mask) >> k & 1] for mask in distinct]
    return pl.DataFrame(
        {"mask": pl.Series(distinct, dtype=masks.dtype), "differing_fields": lists},
        schema_overrides={"differing_fields": pl.List(pl.String)},
    )


def _unique_hashes(frame: pl.DataFrame, ident: str, cols: list[str]) -> pl.DataFrame:
    """(ident, h): rows with every column present whose tuple hash occurs once."""
    present = pl.all_horizontal([pl.col(c).is_not_null() for c in cols])
    return (
        frame.filter(present)
        .select(ident, h=pl.struct(cols).hash(seed=0))
        .filter(pl.len().over("h") == 1)
    )


def _empty_evidence() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "agency_row": pl.Int64,
            "field": pl.String,
            "agency_value": pl.String,
            "master_value": pl.String,
            "level": pl.String,
            "weight": pl.Float64,
        }
    )
