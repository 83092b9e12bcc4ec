"""Citizens: who read my data, authenticated by a signed subject token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Query, Request
from sqlalchemy.orm import Session

from api.deps import READ_SESSION, ReadRetryRoute
from api.deps_access import refuse_repeated_credentials
from mdr.access.gate import subject_access
from mdr.access.subjects import verify_token
from mdr.errors import Unauthorized

router = APIRouter(prefix="/v1/subject", tags=["data subjects"], route_class=ReadRetryRoute)


@router.get("/access-log", summary="Every read of records about me, by agencies and staff")
def access_log(
    request: Request,
    authorization: str | None = Header(default=None,
                                       description="`Bearer <subject token>` from the identity "
                                       "provider (here: `mdr subjects token NUMBER`)."),
    limit: int = Query(default=500, ge=1, le=5000),
    session: Session = READ_SESSION,
) -> dict[str, Any]:
    refuse_repeated_credentials(request, (b"authorization",))
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("send the subject token as `Authorization: Bearer <token>`")
    subject = verify_token(request.app.state.secret, authorization[7:].strip())
    request.app.state.records.limiter.take("subject:" + subject)  # per person, as per key
    accesses = subject_access(session.connection(), subject, limit)
    return {"accesses": accesses, "count": len(accesses)}
