"""Korea's time zone: dates of the registers (a sync's as-of date, "today" for reads, a
key's expiry) are Korean dates. UTC+9 all year (Korea keeps no daylight saving)."""

from __future__ import annotations

import datetime as dt
from typing import Final

SEOUL: Final = dt.timezone(dt.timedelta(hours=9), "KST")


def today_in_korea() -> dt.date:
    return dt.datetime.now(SEOUL).date()


#: The same date inside PostgreSQL.
TODAY_IN_KOREA_SQL: Final = "(now() AT TIME ZONE 'Asia/Seoul')::date"
