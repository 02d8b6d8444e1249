"""FastAPI dependencies as Annotated aliases: session, Temporal, settings, the caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from api.access.auth import (
    CASE_SYSTEM,
    CLERK,
    JUDGE,
    OPS,
    SUPERVISOR,
    current_user,
    require_roles,
)
from api.temporal import TemporalHolder
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.tables.core import User


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


def get_store(request: Request) -> DocumentStore:
    """Returns the content-addressed document store."""
    store: DocumentStore = request.app.state.store
    return store


SessionDep = Annotated[Session, Depends(get_session)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
TemporalDep = Annotated[TemporalHolder, Depends(get_temporal)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
CurrentUser = Annotated[User, Depends(current_user)]

Submitter = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE))]
Canceller = Annotated[User, Depends(require_roles(CASE_SYSTEM, JUDGE, SUPERVISOR, OPS))]
Operator = Annotated[User, Depends(require_roles(OPS, SUPERVISOR))]
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
