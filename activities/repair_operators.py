"""Asks the telecom operators in parallel, each with its own timeout and rate limit."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from activities.repair_limits import TokenBucket
from domain.identity import InvalidIdentity, normalize_mobile
from domain.operators import Outcome


@dataclass(frozen=True)
class Lookup:
    """What every operator is asked: the person, the case and the legal basis."""

    name: str = field(repr=False)
    id_number: str = field(repr=False)
    case_number: str
    legal_basis: str
    reference: str

    def body(self, operator: str) -> dict[str, str]:
        """Returns the request body for one operator; its reference names the operator."""
        return {
            "name": self.name,
            "id_number": self.id_number,
            "case_number": self.case_number,
            "legal_basis": self.legal_basis,
            "reference": f"{self.reference}:{operator}",
        }


@dataclass(frozen=True)
class OperatorAnswer:
    """How one operator's query went, and the valid mobiles it found (normalized)."""

    operator: str
    outcome: Outcome
    numbers: tuple[str, ...] = field(default=(), repr=False)


class OperatorPanel:
    """The operators of one worker: a token bucket each, asked all at once."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        operators: Sequence[str],
        timeout: float,
        rate_per_minute: int,
    ) -> None:
        if not operators:
            raise ValueError("telecom repair needs at least one operator")
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.operators = tuple(operators)
        self.timeout = timeout
        self.limits = {operator: TokenBucket(rate_per_minute) for operator in self.operators}

    def ask_all(self, lookup: Lookup) -> list[OperatorAnswer]:
        """Asks every operator in parallel; returns when the slowest answered or timed out."""
        with ThreadPoolExecutor(len(self.operators), thread_name_prefix="repair") as pool:
            return list(pool.map(lambda operator: self.ask(operator, lookup), self.operators))

    def ask(self, operator: str, lookup: Lookup) -> OperatorAnswer:
        """Asks one operator, unless its rate limit is spent; errors become outcomes."""
        if not self.limits[operator].try_take():
            return OperatorAnswer(operator, "rate_limited")
        url = f"{self.base_url}/operators/{operator}/lookup"
        try:
            response = self.http.post(url, json=lookup.body(operator), timeout=self.timeout)
        except httpx.TimeoutException:
            return OperatorAnswer(operator, "timeout")
        except httpx.HTTPError:
            return OperatorAnswer(operator, "failed")
        numbers = _numbers(response)
        if numbers is None:
            return OperatorAnswer(operator, "failed")
        return OperatorAnswer(operator, "found" if numbers else "none", numbers)


def _numbers(response: httpx.Response) -> tuple[str, ...] | None:
    """Returns the valid, normalized mobiles of an answer, or None when it is no answer."""
    if response.status_code != 200:
        return None
    try:
        payload: Any = response.json()
        listed = payload["numbers"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list):
        return None
    found: list[str] = []
    for value in listed:
        try:
            number = normalize_mobile(str(value))
        except InvalidIdentity:
            continue  # an operator's malformed entry is no number to serve on
        if number not in found:
            found.append(number)
    return tuple(found)
