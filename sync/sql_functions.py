"""SQL helpers the staging validation uses beside the identifier functions.

Dates arrive as ``YYYY-MM-DD`` (canonical) or in the other usual Korean
spellings (``2024.03.05``, ``2024/3/5``, ``20240305``); ``mdr_norm_date`` returns
the canonical text or NULL when it is not a real calendar date, without
raising, so one bad cell quarantines its row instead of failing the batch.
Installed by the ``sync_functions`` migration.
"""

SQL_FUNCTIONS: list[str] = [
    r"""
CREATE OR REPLACE FUNCTION mdr_norm_date(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT CASE WHEN p IS NOT NULL AND mdr_id_valid_date(p[1]::int, p[2]::int, p[3]::int)
              AND p[1]::int BETWEEN 1000 AND 9999
    THEN p[1] || '-' || lpad(p[2], 2, '0') || '-' || lpad(p[3], 2, '0') END
  FROM (SELECT coalesce(
          regexp_match(v, '^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?$'),
          regexp_match(v, '^(\d{4})(\d{2})(\d{2})$')) AS p) AS parts
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
    "DROP FUNCTION IF EXISTS mdr_norm_bool(text)",
]
