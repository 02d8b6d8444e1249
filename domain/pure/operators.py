"""Telecom repair: the operators songda may ask, the legal basis it cites and the outcomes."""

from __future__ import annotations

from typing import Literal

# China Mobile, China Unicom, China Telecom: the path segment of each operator's lookup.
OPERATORS: tuple[str, ...] = ("cmcc", "cucc", "ctcc")

Outcome = Literal["found", "none", "failed", "timeout", "rate_limited"]
# The outcomes in which the operator really answered; the others retry the whole repair
# when no operator answered at all.
ANSWERED: frozenset[str] = frozenset({"found", "none"})

_BASIS = "CPL 90/Online Litigation Rules 29 — locating a party for service in case {case}"
_BASIS_LENGTH = 200  # RepairQuery.legal_basis


def legal_basis(case_number: str) -> str:
    """Returns the legal basis a lookup cites: the service of process in the named case."""
    return _BASIS.format(case=case_number)[:_BASIS_LENGTH]
