"""Request and response bodies of the sandbox's provider endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from sandbox.world import REAL_SECONDS_PER_DAY

Reference = Field(min_length=1, max_length=200, description="the sender's idempotency key")
SecondsPerDay = Field(
    default=REAL_SECONDS_PER_DAY, gt=0, description="real seconds per legal day (86400 = real)"
)


class SmsIn(BaseModel):
    """An SMS to send; flash SMS show on screen and are never proof of service."""

    to: str = Field(min_length=1, max_length=32)
    text: str
    flash: bool = False
    reference: str = Reference
    seconds_per_day: float = SecondsPerDay
    # The aggregator shape Chinese SMS gateways use; the sandbox records them as given.
    sign_name: str = ""
    template_code: str = ""
    template_params: dict[str, str] = Field(default_factory=dict)


class EmailIn(BaseModel):
    """An e-mail to send."""

    to: str = Field(min_length=3, max_length=254)
    subject: str
    text: str
    reference: str = Reference
    seconds_per_day: float = SecondsPerDay


class SendOut(BaseModel):
    """The gateway's answer; duplicate when the reference was already sent."""

    message_id: str
    duplicate: bool


class WaybillIn(BaseModel):
    """A registered letter (EMS) to post."""

    address: str = Field(min_length=1)
    postcode: str = ""
    recipient: str = ""
    documents: list[str] = Field(default_factory=list)
    reference: str = Reference
    seconds_per_day: float = SecondsPerDay


class WaybillOut(BaseModel):
    """The post office's answer."""

    waybill: str
    duplicate: bool


class WaybillStatus(BaseModel):
    """A waybill's tracking, for polling."""

    waybill: str
    status: str
    events: list[dict[str, Any]]


class NoticeIn(BaseModel):
    """A public notice to publish on the notice board."""

    court: str
    case_number: str
    text: str
    reference: str = Reference


class NoticeOut(BaseModel):
    """The notice board's answer."""

    notice_id: str
    published_at: str
    duplicate: bool


class LookupIn(BaseModel):
    """A telecom repair lookup of a person's working mobile numbers (the older, bare form)."""

    name: str = ""
    id_number: str = Field(min_length=1, max_length=32)
    reference: str = ""
    case_number: str = ""
    legal_basis: str = ""


class OperatorLookupIn(LookupIn):
    """A lookup at one operator, which answers only when it names its case and legal basis."""

    case_number: str = Field(min_length=1, max_length=100)
    legal_basis: str = Field(min_length=1, max_length=200)


class LookupOut(BaseModel):
    """The operator's answer."""

    numbers: list[str]


class OutageIn(BaseModel):
    """How an operator behaves from now on: down answers 503, slow answers after 5 s."""

    mode: Literal["ok", "down", "slow"]


class OperatorState(BaseModel):
    """An operator and its current outage mode."""

    operator: str
    mode: str


class OperatorStates(BaseModel):
    """Every operator's outage mode."""

    items: list[OperatorState]


class Items(BaseModel):
    """An inspection listing, newest first."""

    items: list[dict[str, Any]]


class Ok(BaseModel):
    """A plain acknowledgement."""

    ok: bool = True
