"""Asks the telecom operators in parallel, each with its own timeout and rate limit."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from activities.repair_limits import TokenBucket
from domain.identity import InvalidIdentity, normalize_mobile
from domain.pure.operators import Outcome


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


class OperatorUnanswered(Exception):
    """An operator gave no usable answer (network error, error status, malformed body)."""


class OperatorAdapter(Protocol):
    """One telecom operator's real-name number lookup."""

    name: str

    def lookup(self, lookup: Lookup, timeout: float) -> tuple[str, ...]:
        """Returns the numbers found (normalized); raises OperatorUnanswered or a timeout."""
        ...


class HttpOperatorAdapter:
    """An operator reached over HTTP at `<base>/operators/<name>/lookup` (the sandbox's shape)."""

    def __init__(self, name: str, http: httpx.Client, base_url: str) -> None:
        self.name = name
        self.http = http
        self.url = f"{base_url.rstrip('/')}/operators/{name}/lookup"

    def lookup(self, lookup: Lookup, timeout: float) -> tuple[str, ...]:
        """Posts the lookup; a timeout propagates so the panel can tell it apart."""
        try:
            response = self.http.post(self.url, json=lookup.body(self.name), timeout=timeout)
        except httpx.TimeoutException:
            raise
        except httpx.HTTPError:
            raise OperatorUnanswered(self.name) from None
        numbers = _numbers(response)
        if numbers is None:
            raise OperatorUnanswered(self.name)
        return numbers


class OperatorPanel:
    """The operators of one worker: a token bucket each, asked all at once."""

    def __init__(
        self, adapters: Sequence[OperatorAdapter], timeout: float, rate_per_minute: int
    ) -> None:
        if not adapters:
            raise ValueError("telecom repair needs at least one operator")
        self.adapters = tuple(adapters)
        self.timeout = timeout
        self.limits = {a.name: TokenBucket(rate_per_minute) for a in self.adapters}

    def ask_all(self, lookup: Lookup) -> list[OperatorAnswer]:
        """Asks every operator in parallel; returns when the slowest answered or timed out."""
        with ThreadPoolExecutor(len(self.adapters), thread_name_prefix="repair") as pool:
            return list(pool.map(lambda adapter: self.ask(adapter, lookup), self.adapters))

    def ask(self, adapter: OperatorAdapter, lookup: Lookup) -> OperatorAnswer:
        """Asks one operator, unless its rate limit is spent; errors become outcomes."""
        if not self.limits[adapter.name].try_take():
            return OperatorAnswer(adapter.name, "rate_limited")
        try:
            numbers = adapter.lookup(lookup, self.timeout)
        except httpx.TimeoutException:
            return OperatorAnswer(adapter.name, "timeout")
        except OperatorUnanswered:
            return OperatorAnswer(adapter.name, "failed")
        return OperatorAnswer(adapter.name, "found" if numbers else "none", numbers)


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
