"""Activity inputs and outputs of the hearing deadline: one frozen dataclass each, no names."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChannelOdds:
    """How a channel does: the share of tries that serve and the legal days it takes."""

    step: str
    success_rate: float
    days: float
    source: str = "prior"  # prior | history


@dataclass(frozen=True)
class DeadlineInput:
    """Asks for a task's latest legal service date and its channels' odds."""

    task_id: str


@dataclass(frozen=True)
class DeadlineFacts:
    """The party's latest legal service date (empty when the request gave no dates) and odds."""

    latest_on: str = ""  # YYYY-MM-DD
    rule: str = ""  # code of domain.pure.deadlines.WINDOW_RULES
    article: str = ""
    confirmed: bool = True
    rule_version: str = ""
    odds: list[ChannelOdds] = field(default_factory=list)


@dataclass(frozen=True)
class DeadlineWarning:
    """A party projected past its latest date: the judge is told (ids and dates only)."""

    task_id: str
    latest_on: str
    projected_on: str  # empty when no rung left could serve
    confidence: float
    rule: str
