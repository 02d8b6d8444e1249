"""Builds a request with known parties, for the personal-data tests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.tables.core import Court, Party, ServiceRequest, User

ID_NUMBER = "11010119950612101X"
PHONE = "13912345678"
USER_PHONE = "13700001111"
REPAIRED = "13600002222"


def add_request(session: Session, ring_sealed_repaired: str | None = None) -> Party:
    """Adds a court, a judge with a phone, a request and one person party; returns the party."""
    session.add(Court(code="J12", name="天津市河西区人民法院"))
    judge = User(name="judge-zhang", role="judge", court_code="J12", phone=USER_PHONE)
    session.add(judge)
    session.flush()
    request = ServiceRequest(
        client_id=judge.id,
        external_id="HX-1",
        court_code="J12",
        case_number="（2026）津0103民初1234号",
        procedure="simplified",
    )
    session.add(request)
    session.flush()
    party = Party(
        request_id=request.id,
        position=0,
        ref="P1",
        name="张三",
        kind="person",
        role="defendant",
        id_number=ID_NUMBER,
        phones=[PHONE],
        emails=["zhang@example.com"],
        addresses=[{"text": "天津市河西区友谊路1号", "postcode": "300000"}],
        repaired_phones=[ring_sealed_repaired or REPAIRED],
    )
    session.add(party)
    session.commit()
    return party
