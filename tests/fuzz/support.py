"""What the fuzz runs share: a seeded database, a token per role, and the 4xx storage check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, literal, select, union_all
from sqlalchemy.orm import Session

from api.access.accounts import create_user, issue_token
from domain.tables.core import Base

# Court-bound staff and the cross-court and administrative roles (README, "Accounts and roles").
ROLES = {
    "case_system": "J12", "judge": "J12", "clerk": "J12", "supervisor": "J12", "ops": None,
    "auditor": None, "sysadmin": None, "secadmin": None, "auditadmin": None,
}  # fmt: skip
# Tables a refused call may write to on purpose: the audit (every refusal is audited; on
# PostgreSQL its entry commits to audit_outbox, and the appender moves it to audit_log), the
# portal's evidence of failed identity checks, and the counters of rate limits and lockouts.
WRITTEN_ON_REFUSAL = frozenset({"audit_log", "audit_outbox", "portal_receipts", "rate_counters"})


@dataclass
class Seeds:
    """Tokens by role, and ids of real rows the fuzzer aims at now and then."""

    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)


def seed_users(session: Session) -> dict[str, str]:
    """Creates one user per role and returns a bearer token for each."""
    tokens = {}
    for role, court in ROLES.items():
        user = create_user(session=session, name=f"fuzz-{role}", role=role, court_code=court)
        tokens[role] = issue_token(session=session, user=user)
    return tokens


def row_counts(engine: Engine) -> dict[str, int]:
    """Counts the rows of every table that a refused call must leave alone, in one query."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in WRITTEN_ON_REFUSAL]
    query = union_all(
        *(select(literal(t.name).label("name"), func.count().label("rows")).select_from(t)
          for t in tables)
    )  # fmt: skip
    with engine.connect() as connection:
        return {str(name): int(rows) for name, rows in connection.execute(query)}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Returns the tables whose row count changed."""
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def aim(path_parameters: dict[str, Any] | None, ids: dict[str, list[str]]) -> None:
    """Points about half of the generated ids at real rows, so routes get past their 404."""
    for name, value in list((path_parameters or {}).items()):
        known = ids.get(name)
        digest = hashlib.sha256(repr(value).encode()).digest()[0]
        if known and digest % 2 == 0 and path_parameters is not None:
            path_parameters[name] = known[digest % len(known)]
