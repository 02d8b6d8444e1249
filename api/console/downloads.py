"""Files the console serves: evidence, to whoever api/evidence_access.py lets read it."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.evidence.service import open_evidence
from domain.tables.core import User


async def evidence_response(request: Request, user: User, evidence_id: str) -> Response:
    """Returns the evidence file as a download; every try is audited by open_evidence."""

    def load() -> tuple[bytes, str, str]:
        with request.app.state.session_factory() as session:
            return open_evidence(
                session=session, store=request.app.state.store, user=user, evidence_id=evidence_id
            )

    content, media_type, filename = await run_in_threadpool(load)
    disposition = f"attachment; filename*=UTF-8''{quote(filename or evidence_id)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
