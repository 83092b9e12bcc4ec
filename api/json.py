"""Fast JSON responses (orjson), used by the read routes."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


def json_response(content: Any, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(content, default=str, option=orjson.OPT_NON_STR_KEYS),
                    status_code=status_code, media_type="application/json", headers=headers)
