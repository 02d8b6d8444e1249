"""Request bodies: shapes and per-field checks; identity values come out normalized."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from api.work_orders.bodies import ServiceRecordIn
from domain.identity import (
    classify_licence,
    normalize_case_number,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)

DocumentKind = Literal[
    "summons", "complaint_copy", "response_notice", "evidence_notice", "hearing_notice",
    "judgment", "ruling", "mediation", "notice", "other",
]  # fmt: skip
DOCUMENT_KINDS = get_args(DocumentKind)
# What a court serves: PDF and OFD (the national fixed-layout format), scans, office files.
MEDIA_TYPES = frozenset(
    {
        "application/pdf",
        "application/ofd",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "text/plain",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL_RE = re.compile(r"https?://[^\s/]+(/\S*)?")


def _id_number(value: str) -> str:
    return normalize_id_number(value)


def _licence(value: str) -> str:
    classify_licence(value)
    return "".join(value.split())


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL_RE.fullmatch(value):
        raise ValueError("e-mail address: it must read like name@example.com")
    return value


def _media_type(value: str) -> str:
    value = value.strip().lower()
    if value not in MEDIA_TYPES:
        raise ValueError(f"media type: use one of {', '.join(sorted(MEDIA_TYPES))}")
    return value


def _base64(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        content = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("content: it is not valid base64") from None
    if not content:
        raise ValueError("content: the document is empty")
    return content


def _instant(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("occurred_at: it must be an ISO 8601 timestamp") from None
    return value


def _url(value: str) -> str:
    value = value.strip()
    if len(value) > 500 or not _URL_RE.fullmatch(value):
        raise ValueError("callback URL: it must be an http(s) URL")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Ref = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Mobile = Annotated[str, AfterValidator(normalize_mobile)]
Email = Annotated[str, AfterValidator(_email)]
IdNumber = Annotated[str, AfterValidator(_id_number)]
CreditCode = Annotated[str, AfterValidator(normalize_credit_code)]
Licence = Annotated[str, AfterValidator(_licence)]
CaseNumber = Annotated[str, AfterValidator(normalize_case_number)]
MediaType = Annotated[str, AfterValidator(_media_type)]
Url = Annotated[str, AfterValidator(_url)]
Instant = Annotated[str, AfterValidator(_instant)]
Base64Content = Annotated[
    bytes,
    BeforeValidator(_base64),
    WithJsonSchema({"type": "string", "contentEncoding": "base64"}),
]


class CourtIn(BaseModel):
    """The court the request comes from; its name is stored the first time it is seen."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    name: Text


class CaseIn(BaseModel):
    """The case the documents belong to."""

    number: CaseNumber
    cause: OptText = ""
    procedure: Literal["ordinary", "simplified", "small_claims"]
    handler: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class DocumentIn(BaseModel):
    """One legal document to serve, its content in base64."""

    kind: DocumentKind
    title: Text
    media_type: MediaType
    content_base64: Base64Content


class AddressIn(BaseModel):
    """A postal address; the postcode is optional."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    postcode: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{6})?$")] = ""


class PartyIn(BaseModel):
    """A party to serve, with its identity and contact points."""

    ref: Ref
    name: Text
    kind: Literal["person", "organization", "lawyer"]
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    id_number: IdNumber | None = None
    credit_code: CreditCode | None = None
    licence_number: Licence | None = None
    foreign: bool = False
    phones: list[Mobile] = Field(default_factory=list, max_length=20)
    emails: list[Email] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    consent_electronic: bool = False
    address_confirmed: bool = False


class ClockIn(BaseModel):
    """The plan's clock: real, or accelerated with N real seconds per legal day."""

    mode: Literal["real", "accelerated"] = "real"
    seconds_per_day: float = Field(default=86400.0, gt=0)


class PlanIn(BaseModel):
    """Options of the service plan."""

    clock: ClockIn = Field(default_factory=ClockIn)


class SubmissionIn(BaseModel):
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


class ContactsIn(BaseModel):
    """New contact points for a party, checked like a submission's."""

    phones: list[Mobile] = Field(default_factory=list, max_length=20)
    emails: list[Email] = Field(default_factory=list, max_length=20)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _not_empty(self) -> ContactsIn:
        if not (self.phones or self.emails or self.addresses):
            raise ValueError("give at least one phone, e-mail or address")
        return self


class ControlIn(BaseModel):
    """An operator's reason for a cancel, retry or skip."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class OutcomeIn(BaseModel):
    """A clerk's or bailiff's outcome for a work order."""

    outcome: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    address: (
        AddressIn
        | Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    # A new mobile number the party gave the clerk; the ladder tries it.
    phone: Mobile | None = None
    # What a direct service recorded (place, time, recipient, relation, witness, refusal).
    service: ServiceRecordIn | None = None


class ProviderEventIn(BaseModel):
    """A provider's delivery receipt or tracking event."""

    event_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    reference: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
    occurred_at: Instant
    detail: dict[str, Any] = Field(default_factory=dict)
