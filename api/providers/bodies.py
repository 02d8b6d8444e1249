"""A provider's event in and its acknowledgement out."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from api.fields import Instant


class ProviderEventIn(BaseModel):
    """A provider's delivery receipt or tracking event."""

    event_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    reference: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
    occurred_at: Instant
    detail: dict[str, Any] = Field(default_factory=dict)


class ProviderAckOut(BaseModel):
    """The answer to a provider event; duplicate when it was accepted before."""

    accepted: bool
    duplicate: bool = False
