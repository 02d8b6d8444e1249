"""A request's end reaches the chain once, even when two tries of its write overlap.

The request's outcome is written by a local activity: a worker that dies, or a workflow task
that times out, runs it again, possibly while the first try is still in its transaction.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, func, select

from activities.trail import TrailActivities
from activities.trail_audit import audit_request_outcome
from domain.pure.activity_io import RequestOutcomeInput
from domain.pure.ladder import RequestStatus
from domain.settings import Settings
from domain.store.audit_appender import drain_outbox
from domain.store.db import make_session_factory
from domain.tables.core import ServiceRequest
from domain.tables.trust import AuditEntry
from tests.api.test_work_orders import seed_task

pytestmark = pytest.mark.integration


def test_a_twin_in_flight_is_not_audited_again(pg_engine: Engine, settings: Settings) -> None:
    """The twin holds the request, ends it and commits; the second try then finds it ended."""
    factory = make_session_factory(pg_engine)
    with factory() as session:
        request_id = seed_task(session, status="serving").request_id
        session.commit()
    twin = factory()
    request = twin.get_one(ServiceRequest, request_id, with_for_update=True)
    audit_request_outcome(twin, request, RequestStatus.COMPLETED)
    request.status = RequestStatus.COMPLETED
    twin.flush()
    trail = TrailActivities(factory, settings.key_ring)
    second = threading.Thread(
        target=trail.record_request_outcome,
        args=(RequestOutcomeInput(request_id, RequestStatus.COMPLETED, []),),
    )
    second.start()
    time.sleep(0.5)  # the second try reads the request (or waits for it) meanwhile
    twin.commit()
    twin.close()
    second.join(timeout=10)
    drain_outbox(pg_engine)
    with factory() as session:
        ended = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.target == request_id, AuditEntry.action.like("request.%"))
        )
    assert ended == 1
