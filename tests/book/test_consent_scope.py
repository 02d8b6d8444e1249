"""Issue 12, item 6: a consent or confirmation on record reaches another case only by its scope.

Scope `case` binds the case it was given in; scope `court` every case of that court, never a
case of another court. The contact stays usable elsewhere, only not consented or confirmed.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from temporalio.testing import ActivityEnvironment

from activities.work_orders import WorkOrderActivities
from domain.address_book.book import consent_on_record, known_contacts, remember_submitted
from domain.crypto.keyring import KeyRing
from domain.pure.activity_io import CloseWorkOrderInput
from domain.pure.consent import Mark
from domain.store.db import make_session_factory
from domain.tables.core import (
    AddressConfirmation,
    ConsentRecord,
    Court,
    Party,
    ServiceRequest,
    WorkOrder,
)
from tests.book.conftest import ADDRESS, CASE_1, CASE_2, NOW, PHONE, Cases

OTHER_COURT_CASE = "（2026）津0104民初77号"


def given_in_case_1(db: Session, cases: Cases, ring: KeyRing, scope: str) -> None:
    """Case 1 of court J12: the phone consented and the address confirmed, with this scope."""
    mark = Mark("address_confirmation_form", scope).as_json()
    party = cases.party(
        cases.request(CASE_1),
        phones=[PHONE],
        addresses=[{"text": ADDRESS}],
        coverage={"phone": {"0": mark}, "email": {}, "address": {"0": mark}},
    )
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)


def in_other_court(cases: Cases) -> Party:
    """A party of the same person in a case of another court (J13)."""
    cases.session.add(Court(code="J13", name="天津市南开区人民法院"))
    cases.session.flush()
    request = ServiceRequest(
        client_id="client", external_id="EXT-J13", court_code="J13",
        case_number=OTHER_COURT_CASE, procedure="ordinary",
    )  # fmt: skip
    cases.session.add(request)
    cases.session.flush()
    return cases.party(request, phones=[PHONE], addresses=[{"text": ADDRESS}])


def covered(db: Session, ring: KeyRing, party: Party) -> dict[str, tuple[bool, Mark | None]]:
    """Returns, per contact kind, whether the book offers it covered and with which mark."""
    known = known_contacts(db, ring=ring, party=party, now=NOW)
    return {k.kind: (k.consented or k.confirmed_address, k.mark) for k in known}


def test_a_case_scoped_consent_stays_in_its_case(db: Session, cases: Cases, ring: KeyRing) -> None:
    given_in_case_1(db, cases, ring, "case")
    record = db.scalars(select(ConsentRecord)).one()
    assert (record.scope, record.evidence_kind, record.court_code) == (
        "case",
        "address_confirmation_form",
        "J12",
    )
    same_case = cases.party(cases.request(CASE_1), phones=[PHONE], addresses=[{"text": ADDRESS}])
    assert covered(db, ring, same_case)["phone"][0]
    later = cases.party(cases.request(CASE_2), phones=[PHONE], addresses=[{"text": ADDRESS}])
    assert covered(db, ring, later) == {"phone": (False, None), "address": (False, None)}
    assert consent_on_record(db, ring=ring, party=later) == ""


def test_a_court_scoped_confirmation_reaches_every_case_of_that_court_only(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    given_in_case_1(db, cases, ring, "court")
    confirmation = db.scalars(select(AddressConfirmation)).one()
    assert (confirmation.scope, confirmation.court_code) == ("court", "J12")
    court_wide = Mark("address_confirmation_form", "court")
    later = cases.party(cases.request(CASE_2), phones=[PHONE], addresses=[{"text": ADDRESS}])
    assert covered(db, ring, later) == {"phone": (True, court_wide), "address": (True, court_wide)}
    assert consent_on_record(db, ring=ring, party=later).endswith(CASE_1)
    elsewhere = in_other_court(cases)
    assert covered(db, ring, elsewhere) == {"phone": (False, None), "address": (False, None)}


def test_a_clerks_confirmation_marks_the_address_the_clerk_recorded(
    engine: Engine, ring: KeyRing
) -> None:
    """Not every address of the party: the one named on the order, on a recorded call."""
    factory = make_session_factory(engine)
    with factory() as session:
        cases = Cases(session)
        request = cases.request(CASE_1)
        party = cases.party(
            request,
            phones=[PHONE],
            addresses=[{"text": ADDRESS}, {"text": "天津市河西区围堤道2号"}],
            coverage={"phone": {}, "email": {}, "address": {}},
        )
        task = cases.task(request, party)
        order = WorkOrder(
            task_id=task.id, order_key="k", court_code="J12", kind="phone", due_at=NOW,
            details={"confirmed_address_index": 1},
        )  # fmt: skip
        session.add(order)
        session.commit()
        order_id, party_id = order.id, party.id
    close = CloseWorkOrderInput(order_id, "reached_address_confirmed", "", "clerk")
    ActivityEnvironment().run(WorkOrderActivities(factory, ring).close_work_order, close)
    with factory() as session:
        stored = session.get_one(Party, party_id)
        assert stored.coverage == {
            "phone": {},
            "email": {},
            "address": {"1": {"evidence": "recorded_call", "scope": "case"}},
        }
        assert not stored.address_confirmed  # "every submitted address" stays what it was
