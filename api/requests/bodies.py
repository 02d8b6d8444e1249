"""The service request's bodies: the submission in, the request and its tasks out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Field,
    StringConstraints,
    model_validator,
)

from api.archive.bodies import ArchiveOut
from api.fields import (
    Base64Content,
    CaseNumber,
    CreditCode,
    DocumentKind,
    Email,
    IdNumber,
    Licence,
    MediaType,
    Mobile,
    OptText,
    Ref,
    StrictBody,
    Text,
    Url,
)
from api.requests.deadlines import DeadlineOut
from domain.pure.clock import BEIJING


class CourtIn(StrictBody):
    """The court the request comes from; its name is stored the first time it is seen."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    name: Text


class CaseIn(StrictBody):
    """The case the documents belong to."""

    number: CaseNumber
    cause: OptText = ""
    procedure: Literal["ordinary", "simplified", "small_claims"]
    handler: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class DocumentIn(StrictBody):
    """One legal document to serve, its content in base64."""

    kind: DocumentKind
    title: Text
    media_type: MediaType
    content_base64: Base64Content


class AddressIn(StrictBody):
    """A postal address; the postcode is optional."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    postcode: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{6})?$")] = ""


class PartyIn(StrictBody):
    """A party to serve, with its identity and contact points."""

    ref: Ref
    name: Text
    kind: Literal["person", "organization", "lawyer"]
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    id_number: IdNumber | None = None
    credit_code: CreditCode | None = None
    licence_number: Licence | None = None
    # Sets the public notice period: 30 days, 60 abroad, 3 months for Hong Kong, Macao and
    # Taiwan (settings). `foreign: true` is still accepted and means abroad.
    residence: Literal["mainland", "hong_kong", "macao", "taiwan", "abroad"] = "mainland"
    foreign: bool = False
    phones: list[Mobile] = Field(default_factory=list, max_length=20)
    emails: list[Email] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    consent_electronic: bool = False
    address_confirmed: bool = False


class ClockIn(StrictBody):
    """The plan's clock: real, or accelerated with N real seconds per legal day."""

    mode: Literal["real", "accelerated"] = "real"
    seconds_per_day: float = Field(default=86400.0, gt=0)


class PlanIn(StrictBody):
    """Options of the service plan."""

    clock: ClockIn = Field(default_factory=ClockIn)


class SubmissionIn(StrictBody):
    """A service request from a case-handling system (CONTRACT.md)."""

    external_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    court: CourtIn
    case: CaseIn
    documents: list[DocumentIn] = Field(min_length=1, max_length=50)
    parties: list[PartyIn] = Field(min_length=1, max_length=200)
    callback_url: Url | None = None
    plan: PlanIn = Field(default_factory=PlanIn)
    # The case's dates the service windows count from (README "Serving against the hearing").
    hearing_at: Annotated[AwareDatetime, AfterValidator(lambda t: t.astimezone(UTC))] | None = None
    accepted_on: date | None = None
    pronounced_on: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> SubmissionIn:
        # A hearing or a pronouncement before the case was accepted is a typing error that
        # would make every deadline wrong: refuse it rather than warn the judge about it.
        hearing = self.hearing_at.astimezone(BEIJING).date() if self.hearing_at else None
        for name, day in (("hearing_at", hearing), ("pronounced_on", self.pronounced_on)):
            if day is not None and self.accepted_on is not None and day < self.accepted_on:
                raise ValueError(f"{name} lies before accepted_on")
        return self


class TaskOut(BaseModel):
    """One party's service task."""

    id: str
    party_ref: str
    workflow_id: str
    status: str
    step: str | None = None
    method: str | None = None
    served_on: date | None = None
    reason: str | None = None
    attempts: int = 0
    # A legal date of the task rests on a year the holiday calendar does not know yet.
    provisional: bool = False


class CourtOut(BaseModel):
    """The court of a request."""

    code: str
    name: str


class MediationOut(BaseModel):
    """A mediation statement's effect: who signed, and whether every party did (Interp. 133)."""

    signed: list[str]  # party refs
    unsigned: list[str]
    effective: bool
    rule: str


class RequestOut(BaseModel):
    """A service request with its tasks; `archive` is set once it is completed."""

    id: str
    external_id: str
    status: str
    case_number: str
    court: CourtOut
    created_at: datetime
    tasks: list[TaskOut]
    archive: ArchiveOut | None = None
    # Set when a mediation statement is among the documents (issue 12, item 3).
    mediation: MediationOut | None = None
    # The case's dates as submitted, and the service deadline they give (README).
    hearing_at: datetime | None = None
    accepted_on: date | None = None
    pronounced_on: date | None = None
    deadline: DeadlineOut | None = None


class RequestListOut(BaseModel):
    """A page of the caller's requests, newest first."""

    items: list[RequestOut]
    total: int
    limit: int
    offset: int


class AddressOut(BaseModel):
    """An address as the caller's role may see it."""

    text: str
    postcode: str = ""


class PartyView(BaseModel):
    """A party as the caller's role may see it; never its ID number."""

    ref: str
    name: str
    kind: str
    phones: list[str]
    repaired_phones: list[str]
    emails: list[str]
    addresses: list[AddressOut]
