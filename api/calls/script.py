"""The call script of a phone work order, for the clerk about to call its party."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.calls.bodies import ScriptOut, ScriptSectionOut
from api.evidence.access import order_for_handler
from domain.pure.call_script import script_for
from domain.tables.core import Court, Document, User


def order_script(*, session: Session, user: User, order_id: str) -> ScriptOut:
    """Returns the script for the order's party: its court, case, documents and what to ask."""
    ctx = order_for_handler(session, user, order_id)
    request, party = ctx.request, ctx.task.party
    court = session.get(Court, request.court_code)
    query = select(Document).where(Document.request_id == request.id).order_by(Document.position)
    script = script_for(
        court_name=court.name if court is not None else request.court_code,
        case_number=request.case_number,
        cause=request.cause,
        procedure=request.procedure,
        documents=[(doc.kind, doc.title) for doc in session.scalars(query)],
        party_name=party.name,
        party_kind=party.kind,
    )
    sections = [ScriptSectionOut(heading=s.heading, lines=list(s.lines)) for s in script.sections]
    return ScriptOut(title=script.title, version=script.version, sections=sections)
