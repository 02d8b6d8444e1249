"""Who may try a link's identity check now: rate limits, failure counts and locks, all held in
the database (domain/store/limits.py) so every portal process counts the same attempts.

Each try is counted before it is compared (and taken back when it passes), so concurrent
guesses cannot slip past the count: at most five compare in a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from api.portal import records
from api.portal.pages import TOO_MANY, PageError, locked
from api.portal.records import Visitor
from domain.store import limits
from domain.tables.core import PortalPublication

RATE_LIMIT = 10  # identity and code attempts a minute, per client address and per link
RATE_WINDOW = timedelta(minutes=1)
WINDOW_FAILURES = 5  # failures in 15 minutes lock the link for 15 minutes
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
LINK_LIFETIME_FAILURES = 20  # then the link is locked for good: the court sends a new one
PARTY_LIFETIME_FAILURES = 30  # across every link of the party's task
LINK_LOCKED = "link_locked"


@dataclass(frozen=True)
class Attempt:
    """A counted try: the keys it was counted under and their counts."""

    link_key: str
    party_key: str
    link: limits.Count
    party: limits.Count


def _party_key(publication: PortalPublication) -> str:
    # The reference starts with the task (one party of one request); old ones fall back.
    return f"portal:party:{publication.reference.split(':', 1)[0]}"


def lock_until(session: Session, publication: PortalPublication, at: datetime) -> datetime | None:
    """Returns when the link unlocks if it or its party is locked now; else None."""
    keys = (f"portal:fail:{publication.id}", _party_key(publication))
    found = [u for k in keys if (u := limits.locked_until(session, k, at)) is not None]
    return max(found) if found else None


def failures_left(session: Session, publication: PortalPublication, at: datetime) -> int:
    """Returns how many more failures the link takes within the window before it locks."""
    used = limits.hits_within(session, f"portal:fail:{publication.id}", at, WINDOW)
    return max(0, WINDOW_FAILURES - used)


def _locked_page(session: Session, publication: PortalPublication, at: datetime) -> PageError:
    return locked(lock_until(session, publication, at) or at + LOCK)


def throttle(session: Session, publication: PortalPublication, visitor: Visitor) -> None:
    """Counts a request against the rate limits: 429 over one, 423 while the link is locked."""
    at = records.now()
    address = visitor.client_address or "unknown"
    for key in (f"portal:addr:{address}", f"portal:link:{publication.id}"):
        if limits.hit(session, key, at, RATE_WINDOW).hits > RATE_LIMIT:
            raise TOO_MANY
    if lock_until(session, publication, at) is not None:
        raise _locked_page(session, publication, at)


def admit(session: Session, publication: PortalPublication) -> Attempt:
    """Counts an identity try before it is compared (after throttle): 423 over a failure cap."""
    at = records.now()
    link_key, party_key = f"portal:fail:{publication.id}", _party_key(publication)
    link = limits.hit(session, link_key, at, WINDOW)
    party = limits.hit(session, party_key, at, limits.LIFETIME)
    attempt = Attempt(link_key, party_key, link, party)
    over = (
        link.hits > WINDOW_FAILURES
        or link.total > LINK_LIFETIME_FAILURES
        or party.total > PARTY_LIFETIME_FAILURES
    )
    if over:
        passed(session, attempt)
        raise _locked_page(session, publication, at)
    return attempt


def passed(session: Session, attempt: Attempt) -> None:
    """Takes the try back: it was right (or never compared)."""
    limits.release(session, attempt.link_key)
    limits.release(session, attempt.party_key)


def failed(
    session: Session, publication: PortalPublication, attempt: Attempt, visitor: Visitor
) -> None:
    """Keeps the failure counted; locks (and tells the court) when it reached a cap."""
    at = records.now()
    scopes: list[tuple[str, str, datetime]] = []
    if attempt.link.hits >= WINDOW_FAILURES:
        scopes.append(("window", attempt.link_key, at + LOCK))
    forever = records.aware(publication.expires_at) + timedelta(days=1)
    if attempt.link.total >= LINK_LIFETIME_FAILURES:
        scopes.append(("link", attempt.link_key, forever))
    if attempt.party.total >= PARTY_LIFETIME_FAILURES:
        scopes.append(("party", attempt.party_key, at + limits.LIFETIME))
    for _scope, key, until in scopes:
        limits.lock(session, key, until)
    if scopes:
        # The intranet turns this receipt into a timeline event and an SMS to the clerks.
        detail = {"scope": scopes[-1][0], "failures": attempt.link.total}
        records.add_receipt(session, publication, LINK_LOCKED, visitor, detail=detail)
        raise _locked_page(session, publication, at)
