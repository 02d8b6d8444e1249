"""FastAPI dependencies as Annotated aliases: session, Temporal, settings, the caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session, sessionmaker

from api.access.auth import (
    AUDITADMIN,
    CASE_SYSTEM,
    CLERK,
    JUDGE,
    OPS,
    SECADMIN,
    SUPERVISOR,
    SYSADMIN,
    current_user,
    require_roles,
)
from api.audit.context import audit_user_action
from api.temporal import TemporalHolder
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.tables.core import User

# Only these read the audit (three-role separation: never the system administrator).
AUDIT_READERS = frozenset({"auditor", "auditadmin"})
CurrentUser = Annotated[User, Depends(current_user)]


def get_session(request: Request) -> Iterator[Session]:
    """Yields a session for one request (sync: FastAPI runs it in the thread pool)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        yield session


def get_session_factory(request: Request) -> sessionmaker[Session]:
    """Returns the app's session factory."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_temporal(request: Request) -> TemporalHolder:
    """Returns the lazily connected Temporal client holder."""
    holder: TemporalHolder = request.app.state.temporal
    return holder


def get_settings_dep(request: Request) -> Settings:
    """Returns the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def audit_reader(request: Request, user: CurrentUser) -> User:
    """Lets only auditors and audit administrators through; a refusal is itself audited."""
    if user.role in AUDIT_READERS:
        return user
    with request.app.state.session_factory() as session:
        path = request.url.path
        audit_user_action(session, user, action="audit.read", target=path, outcome="denied")
        session.commit()
    raise HTTPException(
        status_code=403, detail="only the auditor and the audit administrator read the audit"
    )


def get_store(request: Request) -> DocumentStore:
    """Returns the content-addressed document store."""
    store: DocumentStore = request.app.state.store
    return store


SessionDep = Annotated[Session, Depends(get_session)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
TemporalDep = Annotated[TemporalHolder, Depends(get_temporal)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]

Submitter = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE))]
Canceller = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE, SUPERVISOR, OPS))]
Operator = Annotated[User, Depends(require_roles(OPS, SUPERVISOR))]
# Sending a party straight to direct service is the judge's remedy for a hearing at risk, and
# an operator's (CPL 88): the court's choice of method, never the case system's.
DirectServer = Annotated[User, Depends(require_roles(JUDGE, SUPERVISOR, OPS))]
ContactEditor = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE, CLERK, SUPERVISOR))]
WorkOrderReader = Annotated[User, Depends(require_roles(CLERK, SUPERVISOR, OPS, CASE_SYSTEM))]
WorkOrderAnswerer = Annotated[User, Depends(require_roles(CLERK, SUPERVISOR, CASE_SYSTEM))]
# Least privilege: administrators and auditors read no service data; court scoping is
# applied on top by the services (api.access.auth.may_read_request).
RequestReader = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE, CLERK, SUPERVISOR, OPS))]
# The archive holds personal data in clear (the proof of service): ops may not fetch it.
ArchiveReader = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE, CLERK, SUPERVISOR))]
# Calls and evidence of a work order: refused by role before the body is read (then by court).
OrderHandler = Annotated[User, Depends(require_roles(CLERK, SUPERVISOR))]
EvidenceReader = Annotated[User, Depends(require_roles(CLERK, SUPERVISOR, JUDGE, CASE_SYSTEM))]
# Clerks work their court's queue; supervisors assign and steer it.
Clerk = Annotated[User, Depends(require_roles(CLERK))]
Supervisor = Annotated[User, Depends(require_roles(SUPERVISOR))]
ClerkOrSupervisor = Annotated[User, Depends(require_roles(CLERK, SUPERVISOR))]
# Figures only: the judge for its court, supervisors and ops for theirs or all.
StatsReader = Annotated[User, Depends(require_roles(SUPERVISOR, OPS, JUDGE))]
# The Temporal UI's codec: who may read payloads in clear (court data: never auditors), and
# who may write them (signals).
PayloadReader = Annotated[User, Depends(require_roles(OPS, SUPERVISOR))]
PayloadWriter = Annotated[User, Depends(require_roles(OPS, SUPERVISOR))]
# The State Council's holiday notice for a year the library lacks: the system administrator
# enters it, or ops acting on the calendar_missing alert (no personal data in it).
CalendarAdmin = Annotated[User, Depends(require_roles(SYSADMIN, OPS))]
# Three separated administrators: users, security policies, and (below) the audit.
SystemAdmin = Annotated[User, Depends(require_roles(SYSADMIN))]
SecurityAdmin = Annotated[User, Depends(require_roles(SECADMIN))]
# The audit administrator creates and manages the auditors, and no one else's account.
AuditAdmin = Annotated[User, Depends(require_roles(AUDITADMIN))]
AuditReader = Annotated[User, Depends(audit_reader)]
