"""The submission's callback_url, checked against the case system's allowed callback origins."""

from __future__ import annotations

from api.errors import Loc
from domain.callback_targets import RefusedTarget, check_callback_url
from domain.settings import Settings


def callback_errors(url: str | None, *, account: str, settings: Settings) -> list[tuple[Loc, str]]:
    """Returns the refusal of callback_url (422 naming the field), or nothing when allowed."""
    if not url:
        return []
    try:
        check_callback_url(url, account=account, settings=settings)
    except RefusedTarget as refused:
        return [(("body", "callback_url"), str(refused))]
    return []
