"""The rule catalogue: what "good data" means for each national master dataset.

Most rules are derived from the dataset specs, so a 15th dataset gets its checks
without new code; a few are written by hand. Every rule is set-based SQL that runs
inside PostgreSQL.

- :mod:`~mdr.quality.rules.model`: :class:`Rule` and :class:`Join`, the SQL a rule
  becomes, and the helpers rules are written with (quoting, presence, code lists,
  the join resolving a relation);
- :mod:`~mdr.quality.rules.derived`: what the specs imply: completeness, validity
  (identifiers, check digits, codes, lengths, past dates), uniqueness, referential
  integrity, timeliness and accuracy;
- :mod:`~mdr.quality.rules.hand_written`: cross-field and cross-dataset consistency
  no single field declares;
- :mod:`~mdr.quality.rules.catalogue`: all rules in their fixed order, by id, and
  the selection by dataset, id pattern and dimension the runner and the CLI use.

Rule ids are ``<dataset>.<family>.<name>``; the runner, stored results and tests
rely on them and on the order of :func:`all_rules`.
"""

from mdr.quality.rules.catalogue import Catalogue, all_rules, catalogue, get_rule, select_rules
from mdr.quality.rules.model import (
    ACCURACY_CONTRACT,
    ACCURACY_TABLE,
    SAMPLE_LIMIT,
    Join,
    Rule,
    RuleKind,
    codes_sql,
)

__all__ = [
    "ACCURACY_CONTRACT",
    "ACCURACY_TABLE",
    "SAMPLE_LIMIT",
    "Catalogue",
    "Join",
    "Rule",
    "RuleKind",
    "all_rules",
    "catalogue",
    "codes_sql",
    "get_rule",
    "select_rules",
]
