"""The virtual phone line (CTI): the adapter interface and its HTTP implementation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx

from domain.settings import Settings

# States after which a call record no longer changes.
ENDED_STATES = frozenset({"completed", "failed"})
TIMEOUT_SECONDS = 10.0


class CtiUnavailable(Exception):
    """The virtual line cannot be reached or answered with an error; the caller may retry."""


class CtiUnknownCall(LookupError):
    """The virtual line does not know this call."""


@dataclass(frozen=True)
class CallRecord:
    """A call as the line reports it: state, result and times once it has ended."""

    state: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    result: str | None

    @property
    def ended(self) -> bool:
        """Tells whether the call is over, so its record and recording are final."""
        return self.state in ENDED_STATES


class CtiAdapter(Protocol):
    """What songda needs of a virtual line: place a call, then read its record and recording."""

    def dial(self, *, agent: str, number: str, reference: str) -> str:
        """Places a call from the agent's extension to the number; returns the line's call id."""
        ...

    def call_record(self, call_id: str) -> CallRecord:
        """Returns the call's record as it stands."""
        ...

    def recording(self, call_id: str) -> bytes | None:
        """Returns the recording of an ended call, or None when there is none."""
        ...


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def parse_record(body: dict[str, Any]) -> CallRecord:
    """Builds a CallRecord from the line's JSON."""
    duration = body.get("duration_seconds")
    return CallRecord(
        state=str(body.get("state", "")),
        started_at=_moment(body.get("started_at")),
        ended_at=_moment(body.get("ended_at")),
        duration_seconds=int(duration) if duration is not None else None,
        result=str(body["result"]) if body.get("result") else None,
    )


class HttpCtiAdapter:
    """A CTI over HTTP: POST /calls, GET /calls/{id}, GET /calls/{id}/recording."""

    def __init__(self, base_url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            with httpx.Client(base_url=self.base_url, timeout=self.timeout) as http:
                return http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CtiUnavailable(f"the phone line does not answer ({type(exc).__name__})") from None

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code == 404:
            raise CtiUnknownCall("the phone line does not know this call")
        if response.status_code >= 400:
            raise CtiUnavailable(f"the phone line answered HTTP {response.status_code}")

    def dial(self, *, agent: str, number: str, reference: str) -> str:
        """Places a call from the agent's extension to the number; returns the line's call id."""
        body = {"agent": agent, "to": number, "reference": reference}
        response = self._request("POST", "/calls", json=body)
        self._check(response)
        return str(response.json()["call_id"])

    def call_record(self, call_id: str) -> CallRecord:
        """Returns the call's record as it stands."""
        response = self._request("GET", f"/calls/{call_id}")
        self._check(response)
        return parse_record(response.json())

    def recording(self, call_id: str) -> bytes | None:
        """Returns the recording of an ended call, or None when there is none."""
        response = self._request("GET", f"/calls/{call_id}/recording")
        if response.status_code == 404:
            return None
        self._check(response)
        return response.content


def adapter_for(settings: Settings) -> CtiAdapter:
    """Returns the configured virtual line (SONGDA_CTI_URL, the sandbox's /cti by default)."""
    return HttpCtiAdapter(settings.effective_cti_url)
