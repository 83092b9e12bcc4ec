"""SQL helpers the staging validation uses beside the identifier functions.

Dates arrive as ``YYYY-MM-DD`` (canonical) or in the other usual Korean
spellings (``2024.03.05``, ``2024/3/5``, ``20240305``); ``mdr_norm_date`` returns
the canonical text or NULL when it is not a real calendar date, without
raising, so one bad cell quarantines its row instead of failing the batch.
Installed by the ``sync_functions`` migration.
"""

SQL_FUNCTIONS: list[str] = [
    # One inlinable expression (no FROM clause): PostgreSQL folds it into the calling
    # query. A version with a subquery ran as its own plan per call, ~200 µs each.
    r"""
CREATE OR REPLACE FUNCTION mdr_norm_date_parts(y text, m text, d text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN y::int >= 1000 AND mdr_id_valid_date(y::int, m::int, d::int)
    THEN y || '-' || lpad(m, 2, '0') || '-' || lpad(d, 2, '0') END
$fn$
""",
    r"""
CREATE OR REPLACE FUNCTION mdr_norm_date(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE
    WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
      THEN mdr_norm_date_parts(substr(v, 1, 4), substr(v, 6, 2), substr(v, 9, 2))
    WHEN v ~ '^[0-9]{8}$'
      THEN mdr_norm_date_parts(substr(v, 1, 4), substr(v, 5, 2), substr(v, 7, 2))
    WHEN v ~ '^[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}[.]?$'
      THEN mdr_norm_date_parts(split_part(translate(v, './', '--'), '-', 1),
                               split_part(translate(v, './', '--'), '-', 2),
                               split_part(translate(rtrim(v, '.'), './', '--'), '-', 3))
  END
$fn$
""",
    r"""
CREATE OR REPLACE FUNCTION mdr_norm_bool(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE
    WHEN lower(v) IN ('true', 't', '1', 'y', 'yes', '예', 'o') THEN 'true'
    WHEN lower(v) IN ('false', 'f', '0', 'n', 'no', '아니오', 'x') THEN 'false' END
$fn$
""",
]

DROP_SQL_FUNCTIONS: list[str] = [
    "DROP FUNCTION IF EXISTS mdr_norm_date(text)",
    "DROP FUNCTION IF EXISTS mdr_norm_date_parts(text, text, text)",
    "DROP FUNCTION IF EXISTS mdr_norm_bool(text)",
]
