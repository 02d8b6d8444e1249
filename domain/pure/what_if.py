"""Replays a finished task's recorded rungs under another rule version or changed settings.

Facts stay facts: the party answered k days into a rung, a letter came back, a clerk called
three times. What the rules decide moves: how long each rung waits, the notice period, whether
the calls allowed "unreachable". Pure: `songda what-if` feeds it the legal record.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from domain.pure import rules
from domain.pure.ladder import Clock, Plan, Step
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.served_on import notice_effective
from domain.pure.work_order_rules import WORK_ORDER_RULE_VERSION, unreachable_violation

PEOPLE = frozenset({Step.PHONE, Step.DIRECT})


@dataclass(frozen=True)
class RuleSet:
    """The rule values a replay may change, under one version name."""

    version: str
    wait_days: dict[str, float]
    notice_days: int = rules.PUBLIC_NOTICE_DAYS
    notice_roll: bool = True
    call_min_attempts: int = 3
    call_min_periods: int = 2
    note: str = ""


CURRENT = RuleSet(
    rules.RULE_VERSION, dict(rules.WAIT_DAYS), note=f"in force; {WORK_ORDER_RULE_VERSION}"
)
# Rule versions a court may compare against: data, like the rule table itself.
RULESETS: dict[str, RuleSet] = {
    r.version: r
    for r in (
        CURRENT,
        RuleSet("2027.01-draft",
                {"electronic": 2.0, "phone": 2.0, "mail": 7.0, "direct": 5.0},
                note="draft: shorter waits on electronic, phone and mail"),
    )
}  # fmt: skip
SETTINGS = ("notice_days", "notice_roll", "call_min_attempts", "call_min_periods",
            *(f"wait_{s}" for s in rules.WAIT_DAYS))  # fmt: skip


def with_settings(base: RuleSet, changes: Mapping[str, str]) -> RuleSet:
    """Returns the rule set with `--set name=value` changes applied; unknown names raise."""
    found = base
    for name, text in changes.items():
        if name not in SETTINGS:
            raise ValueError(f"unknown setting {name}; known: {', '.join(SETTINGS)}")
        if name.startswith("wait_"):
            found = replace(found, wait_days={**found.wait_days, name[5:]: float(text)})
        elif name == "notice_roll":
            found = replace(found, notice_roll=text.lower() in ("1", "true", "yes", "on"))
        elif name == "notice_days":
            found = replace(found, notice_days=int(text))
        elif name == "call_min_attempts":
            found = replace(found, call_min_attempts=int(text))
        else:
            found = replace(found, call_min_periods=int(text))
    if changes:
        found = replace(found, version=f"{base.version}+" + ",".join(f"{k}={v}" for k, v in
                                                                     changes.items()))  # fmt: skip
    return found


@dataclass(frozen=True)
class RecordedRung:
    """One rung as the trail recorded it: when it started and ended, and how."""

    step: str
    started_on: date
    ended_on: date
    served_on: date | None = None  # set on the rung that served, by served_on.py's rule
    timed_out: bool = False  # failed by waiting out its deadline (not by an answer)
    outcome: str = ""  # a clerk's or bailiff's outcome, e.g. unreachable
    calls: tuple[datetime, ...] = ()  # the phone order's call starts (the call rule)


@dataclass(frozen=True)
class RecordedTask:
    """A finished task: its party, its recorded rungs and how it ended."""

    task_id: str
    party_ref: str
    case_number: str
    method: str
    served_on: date | None
    rungs: list[RecordedRung] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # the plan's steps, in order
    notice_wait: float = 0.0  # the plan's notice period: 60 abroad, 90 for 3 months (HMT)


@dataclass(frozen=True)
class Replayed:
    """How a task would have ended under the other rules, against how it did."""

    task: RecordedTask
    method: str
    served_on: date | None
    note: str

    @property
    def days_saved(self) -> int | None:
        """Returns the days earlier (positive) or later (negative) the party would be served."""
        if self.served_on is None or self.task.served_on is None:
            return None
        return (self.task.served_on - self.served_on).days

    @property
    def differs(self) -> bool:
        """Tells whether method or date would have changed."""
        return (self.method, self.served_on) != (self.task.method, self.task.served_on)


def _wait_end(start: date, step: str, ruleset: RuleSet, calendar: LegalCalendar) -> date:
    days = ruleset.wait_days.get(step, 0.0)
    if step in PEOPLE:
        return calendar.add_workdays(start, math.ceil(days)).value
    return start + timedelta(days=math.ceil(days))


def _notice(issued: date, ruleset: RuleSet, calendar: LegalCalendar) -> date:
    plan = Plan([], Clock(), ruleset.version, "", public_notice_days=ruleset.notice_days,
                public_notice_roll=ruleset.notice_roll)  # fmt: skip
    return notice_effective(issued, plan, calendar).value


def _unreachable_refused(rung: RecordedRung, ruleset: RuleSet) -> bool:
    if rung.outcome != "unreachable":
        return False
    violation = unreachable_violation(rung.calls, min_attempts=ruleset.call_min_attempts,
                                      min_periods=ruleset.call_min_periods)  # fmt: skip
    return violation is not None


def replay(task: RecordedTask, ruleset: RuleSet, calendar: LegalCalendar) -> Replayed:
    """Replays the recorded rungs with the rule set's waits, notice period and call rule."""
    if not task.rungs:
        return Replayed(task, task.method, task.served_on, "nothing recorded")
    cursor = task.rungs[0].started_on
    for index, rung in enumerate(task.rungs):
        shift = cursor - rung.started_on
        if rung.step == Step.PUBLIC_NOTICE:
            return _notice_replayed(task, rung, cursor, shift, ruleset, calendar)
        end = _wait_end(cursor, rung.step, ruleset, calendar)
        if rung.served_on is not None:
            moved = rung.served_on + shift
            if moved <= end:
                return Replayed(task, rung.step, moved, "same answer, moved with the ladder")
            following = _next_planned(task, index)
            return Replayed(task, "", None, f"{rung.step} would end unserved on {end}; "
                            f"{following or 'nothing'} next, its outcome unknown")  # fmt: skip
        if rung.timed_out or _unreachable_refused(rung, ruleset):
            cursor = end
        else:
            cursor = min(rung.ended_on + shift, end)
    return Replayed(task, "", None, "every recorded rung failed")


def _notice_replayed(
    task: RecordedTask,
    rung: RecordedRung,
    cursor: date,
    shift: timedelta,
    ruleset: RuleSet,
    calendar: LegalCalendar,
) -> Replayed:
    # The notice setting is the mainland's; a party abroad or in Hong Kong, Macao or Taiwan
    # keeps its own period (CPL 283, SPC rules), so its recorded date moves with the ladder.
    own = task.notice_wait not in (0.0, float(rules.PUBLIC_NOTICE_DAYS))
    if own and rung.served_on is not None:
        return Replayed(task, Step.PUBLIC_NOTICE, rung.served_on + shift,
                        "the party's own notice period, moved with the ladder")  # fmt: skip
    served = _notice(cursor, ruleset, calendar)
    return Replayed(task, Step.PUBLIC_NOTICE, served,
                    f"notice {ruleset.notice_days} days from {cursor}")  # fmt: skip


def _next_planned(task: RecordedTask, index: int) -> str:
    tried = [r.step for r in task.rungs[: index + 1]]
    rest = list(task.planned)
    for step in tried:
        if step in rest:
            rest.remove(step)
    return rest[0] if rest else ""


def replay_all(
    tasks: Iterable[RecordedTask], ruleset: RuleSet, calendar: LegalCalendar
) -> list[Replayed]:
    """Replays every task; the caller keeps those that differ."""
    return [replay(task, ruleset, calendar) for task in tasks]
