"""Integrity checks, scorecards and inspector reports (DESIGN.md sections 1, 3 and 7).

- :mod:`mdr.quality.rules`: the rule catalogue, derived from the dataset specs plus
  hand-written cross-dataset rules, each one set-based SQL;
- :mod:`mdr.quality.runner`: runs rules inside PostgreSQL (one scan per table) and
  stores counts and at most 50 sample keys per rule in ``check_run``/``check_result``;
- :mod:`mdr.quality.scorecards`: pass and error rates per dataset, agency and DAMA
  dimension, and their trend over runs;
- :mod:`mdr.quality.report`: the self-contained HTML inspector report;
- :mod:`mdr.quality.jobs`: nightly, hourly and after-sync schedules.

This package uses ``entities`` and the core of ``mdr`` only: it reads the sync
ledger (``sync_batch``) and reconciliation results (``reconciliation_run``) by
table name in SQL, never through those packages.
"""
