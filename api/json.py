"""Fast JSON responses (orjson), used by the read routes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.responses import Response


def plain_text(value: Any) -> str:
    """A value orjson does not know, as text; decimals in positional notation (asyncpg
    decodes 18000000 as Decimal('1.8E+7'), whose str() is that)."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def json_bytes(content: Any) -> bytes:
    return orjson.dumps(content, default=plain_text, option=orjson.OPT_NON_STR_KEYS)


def json_response(content: Any, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(content), status_code=status_code, media_type="application/json",
                    headers=headers)
