"""SQLAlchemy tables: the legal record (requests, parties, tasks, attempts, timeline)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.crypto.sealed_types import SealedJSON, SealedText


def new_id() -> str:
    """Returns a fresh opaque id (UUID4 hex)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Returns the current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Court(Base):
    __tablename__ = "courts"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    court_code: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(SealedText())
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Login protection (MLPS level 3): failed attempts lock the account for a while.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Subject of the court's own identity provider (OIDC `sub`), when it brings one.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    # Only the SHA-256 of the token is kept; the token itself is shown once.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, so one token can be named and revoked (not enough to use).
    prefix: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class ServiceRequest(Base):
    __tablename__ = "service_requests"
    __table_args__ = (UniqueConstraint("client_id", "external_id", name="uq_request_client_ext"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    court_code: Mapped[str] = mapped_column(ForeignKey("courts.code"))
    case_number: Mapped[str] = mapped_column(String(100), index=True)
    cause: Mapped[str] = mapped_column(String(200), default="")
    procedure: Mapped[str] = mapped_column(String(32))
    handler: Mapped[str] = mapped_column(String(100), default="")
    callback_url: Mapped[str | None] = mapped_column(String(500))
    clock: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The case's dates the service windows count from (domain/pure/deadlines.py), if given.
    hearing_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_on: Mapped[date | None] = mapped_column(Date)
    pronounced_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32), default="in_progress")
    # False until the workflow start is confirmed; a start lost in a crash is retried.
    workflow_started: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    documents: Mapped[list[Document]] = relationship(order_by="Document.position")
    parties: Mapped[list[Party]] = relationship(order_by="Party.position")
    tasks: Mapped[list[ServiceTask]] = relationship(order_by="ServiceTask.position")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_requests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(Integer)


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("request_id", "ref", name="uq_party_request_ref"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_requests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(32))
    # Personal data is sealed at rest (domain/sealed_types.py); the code reads plain values.
    name: Mapped[str] = mapped_column(SealedText())
    kind: Mapped[str] = mapped_column(String(32))  # person | organization | lawyer
    role: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str | None] = mapped_column(SealedText())
    credit_code: Mapped[str | None] = mapped_column(SealedText())
    licence_number: Mapped[str | None] = mapped_column(SealedText())
    # Keyed hash of the normalized identity number (domain/party_index.py), for lookups.
    id_blind_index: Mapped[str | None] = mapped_column(String(64), index=True)
    foreign: Mapped[bool] = mapped_column(Boolean, default=False)
    # mainland | hong_kong | macao | taiwan | abroad: sets the public notice period (CPL 95, 283).
    residence: Mapped[str] = mapped_column(
        String(16), default="mainland", server_default="mainland"
    )
    # Contact points in the order received; workflows refer to them by index only.
    phones: Mapped[list[Any]] = mapped_column(SealedJSON(), default=list)
    emails: Mapped[list[Any]] = mapped_column(SealedJSON(), default=list)
    addresses: Mapped[list[Any]] = mapped_column(SealedJSON(), default=list)
    repaired_phones: Mapped[list[Any]] = mapped_column(SealedJSON(), default=list)
    # Contacts the address book knew from earlier cases, copied in when the plan was made.
    learned: Mapped[dict[str, Any]] = mapped_column(default=dict)
    identity_id: Mapped[str | None] = mapped_column(ForeignKey("party_identities.id"), index=True)
    consent_electronic: Mapped[bool] = mapped_column(Boolean, default=False)
    address_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which contacts a consent or an address confirmation covers, by kind and index, with its
    # evidence and scope (domain/pure/consent.py): {"phone": {"0": {"evidence", "scope"}}, ...}.
    # NULL on rows from before migration 0017: the booleans then cover the submitted contacts.
    coverage: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ServiceTask(Base):
    __tablename__ = "service_tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_requests.id"), index=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("parties.id"))
    position: Mapped[int] = mapped_column(Integer)
    party_ref: Mapped[str] = mapped_column(String(32))
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(32), default="pending")
    step: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(32))
    served_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    step_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    party: Mapped[Party] = relationship()


class Attempt(Base):
    """One try at reaching the party on one channel; the idempotency key makes retries safe."""

    __tablename__ = "attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("service_tasks.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    target_label: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    provider: Mapped[str] = mapped_column(String(64))
    provider_reference: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(32), default="sending")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TimelineEvent(Base):
    __tablename__ = "timeline_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("service_tasks.id"), index=True)
    # Workflow id + sequence number: a retried activity never writes an event twice.
    event_key: Mapped[str] = mapped_column(String(300), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    legal_date: Mapped[date | None] = mapped_column(Date)
    step: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WorkOrder(Base):
    __tablename__ = "work_orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("service_tasks.id"), index=True)
    # Workflow id + sequence: reopening after a retried activity finds the same order.
    order_key: Mapped[str] = mapped_column(String(300), unique=True)
    court_code: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # phone | direct
    status: Mapped[str] = mapped_column(String(32), default="open", index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(SealedText())  # a clerk's free text, sealed
    closed_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The clerk or bailiff who holds the order (claimed or assigned by a supervisor).
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What a direct service recorded: place, GPS, time, recipient and relation, witness.
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ProviderEventReceipt(Base):
    """Every accepted provider event, so a replayed event is recognised and dropped."""

    __tablename__ = "provider_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_provider_event"),)


class ProviderMessage(Base):
    """A provider's message id (an SMPP part, say) and the attempt it belongs to."""

    __tablename__ = "provider_messages"
    __table_args__ = (UniqueConstraint("provider", "message_id", name="uq_provider_message"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(200), index=True)
    part: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PortalPublication(Base):
    """What the intranet published to the recipient portal for one electronic attempt.

    The portal's database role may read these rows and nothing else of the intranet's.
    """

    __tablename__ = "portal_publications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # Only the SHA-256 of the link's token is kept; the token lives in the message.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    reference: Mapped[str] = mapped_column(String(200), unique=True)
    purpose: Mapped[str] = mapped_column(String(32), default="service")
    court_name: Mapped[str] = mapped_column(String(200))
    case_number: Mapped[str] = mapped_column(String(100))
    cause: Mapped[str] = mapped_column(String(200), default="")
    party_label: Mapped[str] = mapped_column(String(100))  # masked name, for the page
    # Keyed hashes for the identity check: the portal compares, it never learns the values.
    name_hmac: Mapped[str] = mapped_column(String(64))
    id_tail_hmac: Mapped[str | None] = mapped_column(String(64))
    # Where a one-time code goes: the channel that carried the link (sms | email) and its address.
    otp_channel: Mapped[str | None] = mapped_column(String(16))
    # A mobile or e-mail, sealed with the portal's own key (domain/crypto/portal_keys.py).
    otp_target: Mapped[str | None] = mapped_column(Text)
    documents: Mapped[list[Any]] = mapped_column(default=list)  # sha256, title, media_type, bytes
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PortalReceipt(Base):
    """The exchange table: every act of the recipient in the portal, forwarded by the intranet."""

    __tablename__ = "portal_receipts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    publication_id: Mapped[str] = mapped_column(ForeignKey("portal_publications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Set by the intranet once the receipt reached the workflow; the portal never writes it.
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class PartyIdentity(Base):
    """A person, organization or lawyer across cases, found by the blind index of its number."""

    __tablename__ = "party_identities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    # HMAC of the normalized ID number, credit code or licence: never the number itself.
    blind_index: Mapped[str] = mapped_column(String(64), unique=True)
    name_sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContactPoint(Base):
    """A mobile, e-mail or postal address of an identity, with where it came from and how it did."""

    __tablename__ = "contact_points"
    __table_args__ = (
        UniqueConstraint("identity_id", "kind", "value_index", name="uq_contact_point"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    identity_id: Mapped[str] = mapped_column(ForeignKey("party_identities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # phone | email | address
    value_sealed: Mapped[str] = mapped_column(Text)
    value_index: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))  # masked, for plans and pages
    # submitted | confirmed | repaired | observed | postal_return | clerk
    source: Mapped[str] = mapped_column(String(32))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_case: Mapped[str | None] = mapped_column(String(100))
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_reason: Mapped[str | None] = mapped_column(String(200))
    successes: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(default=0.5)  # as of updated_at; fades with age
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsentRecord(Base):
    """A consent to electronic service (Online Rules 29): its kind, scope, evidence and time."""

    __tablename__ = "consent_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    identity_id: Mapped[str] = mapped_column(ForeignKey("party_identities.id"), index=True)
    # express | contract | volunteered | conduct | clerk_recorded | submitted
    kind: Mapped[str] = mapped_column(String(32))
    # case | court: a consent binds its own case, or every case of `court_code` when it says
    # so (migration 0017; free text before, migrated as case).
    scope: Mapped[str] = mapped_column(String(200))
    contact_point_ids: Mapped[list[Any]] = mapped_column(default=list)
    case_number: Mapped[str] = mapped_column(String(100))
    evidence: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The evidence's kind (domain/pure/consent.py EVIDENCE_WORDS) and the court of the case.
    evidence_kind: Mapped[str] = mapped_column(
        String(32), default="case_system", server_default="case_system"
    )
    court_code: Mapped[str] = mapped_column(String(32), default="", server_default="")


class AddressConfirmation(Base):
    """An address confirmation (送达地址确认书): which address, in which case, on what evidence."""

    __tablename__ = "address_confirmations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    identity_id: Mapped[str] = mapped_column(ForeignKey("party_identities.id"), index=True)
    contact_point_id: Mapped[str] = mapped_column(ForeignKey("contact_points.id"))
    case_number: Mapped[str] = mapped_column(String(100))
    evidence: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # As for consents (migration 0017): case | court, the evidence's kind, the case's court.
    scope: Mapped[str] = mapped_column(String(8), default="case", server_default="case")
    evidence_kind: Mapped[str] = mapped_column(
        String(32), default="case_system", server_default="case_system"
    )
    court_code: Mapped[str] = mapped_column(String(32), default="", server_default="")


class RepairQuery(Base):
    """One question to a telecom operator, with its legal basis (the case), for the audit."""

    __tablename__ = "repair_queries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("service_tasks.id"), index=True)
    operator: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(String(200))
    # found | none | failed | timeout | rate_limited
    outcome: Mapped[str] = mapped_column(String(32))
    found: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
