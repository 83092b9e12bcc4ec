"""Synthetic national master data: a consistent snapshot and corrupted agency copies.

- :mod:`~entities.synthetic.world`: the snapshot's shared context and orchestration
  (:class:`World`, :func:`planned_rows`); it knows no dataset by name;
- :mod:`~entities.synthetic.builders`: one builder per dataset, registered by name;
  a new dataset's builder is a new module there;
- :mod:`~entities.synthetic.geography`, :mod:`~entities.synthetic.draws`: the places
  and the random draws every builder shares;
- :mod:`~entities.synthetic.agency`: agency copies with truth labels;
- :mod:`~entities.synthetic.writer`: CSV output (:func:`generate_snapshot`), used by
  ``mdr generate`` and ``bench/generate.py``;
- :mod:`~entities.synthetic.korean`, :mod:`~entities.synthetic.catalogue`: vocabulary data;
- :mod:`~entities.synthetic.numbers`: identifiers whose parts must match other fields.
"""

from entities.synthetic.agency import agency_copy, normalise_value
from entities.synthetic.world import REFERENCE_DATE, World, planned_rows
from entities.synthetic.writer import DatasetResult, generate_snapshot

__all__ = [
    "REFERENCE_DATE",
    "DatasetResult",
    "World",
    "agency_copy",
    "generate_snapshot",
    "normalise_value",
    "planned_rows",
]
