"""Field types every feature's bodies share: checked per field, identity values normalized."""

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
    ConfigDict,
    StringConstraints,
    WithJsonSchema,
)

from domain.identity import (
    classify_licence,
    normalize_case_number,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)
from domain.pure.clock import BEIJING


class StrictBody(BaseModel):
    """A request body: a field it does not know is a 422 naming it, never silently dropped."""

    # A case system must never believe a rule was applied because a field it sent (or misspelt)
    # was accepted and ignored (issue 12, item 10).
    model_config = ConfigDict(extra="forbid")


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


def _beijing_when_naive(moment: datetime) -> datetime:
    # The court's clock is Beijing time: a time without an offset (a browser's datetime-local
    # field, a provider that omits it) is read as UTC+8, never as the server's zone.
    return moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment


def _url(value: str) -> str:
    value = value.strip()
    if len(value) > 500 or not _URL_RE.fullmatch(value):
        raise ValueError("callback URL: it must be an http(s) URL")
    return value


# Tags of the "plain value or object" unions (a phone as "138…" or {"number", "consented"}):
# error paths leave them out, so a refused value is named parties[0].phones[1] either way.
PLAIN_TAG, OBJECT_TAG = "<value>", "<object>"
UNION_TAGS = frozenset({PLAIN_TAG, OBJECT_TAG})


def plain_or_object(value: Any) -> str:
    """Tells the tagged union which form a value has: an object (dict or model) or a plain one."""
    return OBJECT_TAG if isinstance(value, dict | BaseModel) else PLAIN_TAG


# One line of text a person typed: trimmed, 1–200 characters.
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
# An instant, always aware; without an offset it is read as Beijing time (UTC+8).
Instant = Annotated[datetime, AfterValidator(_beijing_when_naive)]
Base64Content = Annotated[
    bytes,
    BeforeValidator(_base64),
    WithJsonSchema({"type": "string", "contentEncoding": "base64"}),
]
