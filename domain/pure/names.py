"""Names the outside world sees: task queue, workflow ids, signals, updates, search attributes.

Changing any of these breaks running workflows or the tools ops use; add, never rename.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

REQUEST_WORKFLOW = "ServiceRequestWorkflow"
PARTY_WORKFLOW = "PartyServiceWorkflow"

# Signals and updates of PartyServiceWorkflow.
SIGNAL_PROVIDER_EVENT = "provider_event"
# A flash reminder's reference: the service SMS's own, with this suffix. Flash SMS is a
# reminder only, never proof of service (DOMAIN.md, "SMS wording and flash SMS").
FLASH_REFERENCE_SUFFIX = ":flash"


def is_flash_reference(reference: str) -> bool:
    """Tells whether a provider reference names a flash reminder, not a service message."""
    return reference.endswith(FLASH_REFERENCE_SUFFIX)


SIGNAL_CANCEL = "cancel"
SIGNAL_CONTACTS_CHANGED = "contacts_changed"
SIGNAL_RETRY_STEP = "retry_step"
SIGNAL_SKIP_STEP = "skip_step"
SIGNAL_SKIP_TO_DIRECT = "skip_to_direct"  # a remedy for a party at risk (issue 17)
SIGNAL_HEARING_MOVED = "hearing_moved"  # the deadline is read again (issue 17)
SIGNAL_CALENDAR_UPDATED = "calendar_updated"  # a year was imported (issue 12, item 9)
UPDATE_WORK_ORDER_OUTCOME = "record_work_order_outcome"
QUERY_PROGRESS = "progress"

# Signal of ServiceRequestWorkflow.
SIGNAL_CANCEL_REQUEST = "cancel_request"

SA_CASE_NUMBER = SearchAttributeKey.for_keyword("CaseNumber")
SA_COURT_CODE = SearchAttributeKey.for_keyword("CourtCode")
SA_PARTY_KIND = SearchAttributeKey.for_keyword("PartyKind")
SA_SERVICE_STEP = SearchAttributeKey.for_keyword("ServiceStep")
SA_SERVICE_STATUS = SearchAttributeKey.for_keyword("ServiceStatus")
SEARCH_ATTRIBUTES = ("CaseNumber", "CourtCode", "PartyKind", "ServiceStep", "ServiceStatus")


def request_workflow_id(request_id: str) -> str:
    """Returns the workflow id of a service request."""
    return f"sr-{request_id}"


def party_workflow_id(request_id: str, party_ref: str) -> str:
    """Returns the workflow id of one party's service task."""
    return f"svc-{request_id}-{party_ref}"
