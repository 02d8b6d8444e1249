"""API answers mask numbers by role: timeline details and task reasons, parties in work orders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.requests.views import party_view, task_out, timeline_item
from domain.crypto.sealed_types import installed_ring
from domain.tables.core import Party, ServiceTask, TimelineEvent
from tests.personal_data.rows import ID_NUMBER, PHONE


def event() -> TimelineEvent:
    """Returns a timeline event whose details carry a clerk's note with numbers in it."""
    detail = {"note": f"reached at {PHONE}, ID {ID_NUMBER}", "labels": [f"SMS to {PHONE}"]}
    return TimelineEvent(seq=1, at=datetime.now(UTC), kind="work_order_closed", detail=detail)


@pytest.mark.parametrize("role", ["ops", "judge", "case_system", "auditor", None])
def test_timeline_details_are_masked_for_roles_that_do_not_call(role: str | None) -> None:
    shown = repr(timeline_item(event(), role).detail)
    assert PHONE not in shown and ID_NUMBER not in shown and "139****5678" in shown


@pytest.mark.parametrize("role", ["clerk", "supervisor"])
def test_clerks_see_the_number_they_call(role: str) -> None:
    assert PHONE in repr(timeline_item(event(), role).detail)


def test_task_reasons_are_masked() -> None:
    task = ServiceTask(id="t", party_ref="P1", workflow_id="w", status="failed", attempts=0)
    task.reason = f"every number failed, last {PHONE}"
    assert PHONE not in str(task_out(task).reason)


def test_ops_see_parties_masked_and_nobody_sees_the_id_number() -> None:
    party = Party(ref="P1", name="张三", kind="person", id_number=ID_NUMBER, phones=[PHONE])
    party.emails, party.addresses, party.repaired_phones = [], [], []
    masked = party_view(party, "ops", installed_ring())
    assert (masked.name, masked.phones) == ("张*", ["139****5678"])
    assert ID_NUMBER not in repr(party_view(party, "clerk", installed_ring()))
