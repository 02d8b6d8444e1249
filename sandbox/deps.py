"""FastAPI dependencies of the sandbox: its records and its notifier, from app.state."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from sandbox.notifier import Notifier
from sandbox.state import Records


def get_records(request: Request) -> Records:
    """Returns the app's records."""
    return cast(Records, request.app.state.records)


def get_notifier(request: Request) -> Notifier:
    """Returns the app's notifier."""
    return cast(Notifier, request.app.state.notifier)


RecordsDep = Annotated[Records, Depends(get_records)]
NotifierDep = Annotated[Notifier, Depends(get_notifier)]
