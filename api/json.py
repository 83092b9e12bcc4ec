"""Fast JSON responses (orjson), used by the read routes."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


def json_bytes(content: Any) -> bytes:
    return orjson.dumps(content, default=str, option=orjson.OPT_NON_STR_KEYS)


def json_response(content: Any, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(content), status_code=status_code, media_type="application/json",
                    headers=headers)
