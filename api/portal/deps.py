"""FastAPI dependencies of the portal, as Annotated aliases over app.state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from api.portal.otp import CodeSender
from api.portal.records import Visitor
from api.portal.settings import PortalSettings
from domain.store.documents import DocumentStore


def get_session(request: Request) -> Iterator[Session]:
    """Yields a session on the portal's own database role."""
    factory = cast(sessionmaker[Session], request.app.state.session_factory)
    with factory() as session:
        yield session


def get_settings(request: Request) -> PortalSettings:
    """Returns the settings the portal was built with."""
    return cast(PortalSettings, request.app.state.settings)


def get_store(request: Request) -> DocumentStore:
    """Returns the document store."""
    return cast(DocumentStore, request.app.state.store)


def get_sender(request: Request) -> CodeSender:
    """Returns the one-time code sender."""
    return cast(CodeSender, request.app.state.sender)


def get_visitor(request: Request) -> Visitor:
    """Returns the client's address and user agent."""
    host = request.client.host if request.client else None
    return Visitor(client_address=host, user_agent=request.headers.get("user-agent"))


PortalSession = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[PortalSettings, Depends(get_settings)]
StoreDep = Annotated[DocumentStore, Depends(get_store)]
SenderDep = Annotated[CodeSender, Depends(get_sender)]
VisitorDep = Annotated[Visitor, Depends(get_visitor)]
