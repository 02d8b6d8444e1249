"""The service request's bodies: the submission in, the request and its tasks out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from api.archive.bodies import ArchiveOut
from api.fields import (
    OBJECT_TAG,
    PLAIN_TAG,
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
    plain_or_object,
)
from api.requests.deadlines import DeadlineOut
from domain.pure.clock import BEIJING
from domain.pure.consent import Mark


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
    """A postal address (postcode optional); `confirmed`: the party's 送达地址确认书 names it."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    postcode: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{6})?$")] = ""
    confirmed: bool = False

    def stored(self) -> dict[str, str]:
        """Returns what the party's record keeps of the address (the mark is kept apart)."""
        return {"text": self.text, "postcode": self.postcode}


class PhoneIn(StrictBody):
    """A mobile number with the party's consent to electronic service at it, or without."""

    number: Mobile
    consented: bool = False


class EmailIn(StrictBody):
    """An e-mail address with the party's consent to electronic service at it, or without."""

    address: Email
    consented: bool = False


# A phone or e-mail is its plain value (as before) or an object with `consented`.
PhoneEntry = Annotated[
    Annotated[Mobile, Tag(PLAIN_TAG)] | Annotated[PhoneIn, Tag(OBJECT_TAG)],
    Discriminator(plain_or_object),
]
EmailEntry = Annotated[
    Annotated[Email, Tag(PLAIN_TAG)] | Annotated[EmailIn, Tag(OBJECT_TAG)],
    Discriminator(plain_or_object),
]


EvidenceKind = Literal[
    "case_system", "address_confirmation_form", "efiling_account", "recorded_call",
    "contract_clause", "pleading",
]  # fmt: skip


class EvidenceIn(StrictBody):
    """What a consent or confirmation rests on, and whether it binds this case or the court's."""

    # The codes of domain.pure.consent.EVIDENCE_WORDS (a test keeps the two equal).
    kind: EvidenceKind = "case_system"
    # `court`: the confirmation says it applies to every case of this court (Interp. 137).
    scope: Literal["case", "court"] = "case"

    def mark(self) -> Mark:
        """Returns the mark each covered contact keeps."""
        return Mark(self.kind, self.scope)


class ContactPointsIn(StrictBody):
    """Phones, e-mails and addresses, each a plain value or an object with its consent."""

    phones: list[PhoneEntry] = Field(default_factory=list, max_length=20)
    emails: list[EmailEntry] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    # The evidence of the consents and confirmations given here (default: the case system's).
    consent_evidence: EvidenceIn | None = None
    confirmation_evidence: EvidenceIn | None = None

    def phone_numbers(self) -> list[str]:
        """Returns the numbers in the order given."""
        return [p.number if isinstance(p, PhoneIn) else p for p in self.phones]

    def email_addresses(self) -> list[str]:
        """Returns the e-mail addresses in the order given."""
        return [e.address if isinstance(e, EmailIn) else e for e in self.emails]

    def covers_all(self) -> tuple[bool, bool]:
        """Returns whether a consent (a confirmation) covers every e-address (address) given."""
        return False, False

    def marks(self) -> list[tuple[str, int, Mark]]:
        """Returns (kind, position here, mark) for each contact a consent or confirmation covers."""
        consent_all, confirm_all = self.covers_all()
        consent, confirmation = (
            self._mark(self.consent_evidence),
            self._mark(self.confirmation_evidence),
        )
        found: list[tuple[str, int, Mark]] = []
        for kind, items in (("phone", self.phones), ("email", self.emails)):
            found += [
                (kind, i, consent)
                for i, item in enumerate(items)
                if consent_all or getattr(item, "consented", False)
            ]
        found += [
            ("address", i, confirmation)
            for i, address in enumerate(self.addresses)
            if confirm_all or address.confirmed
        ]
        return found

    @staticmethod
    def _mark(evidence: EvidenceIn | None) -> Mark:
        return evidence.mark() if evidence else Mark()


class PartyIn(ContactPointsIn):
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
    # "Every phone and e-mail (every address) submitted in this request": never a contact
    # added later. Per contact: `consented` on a phone or e-mail, `confirmed` on an address.
    consent_electronic: bool = False
    address_confirmed: bool = False

    def covers_all(self) -> tuple[bool, bool]:
        """Returns the party's booleans: every phone and e-mail, every address of this request."""
        return self.consent_electronic, self.address_confirmed


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
