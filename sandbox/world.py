"""The sandbox's scenario rules (CONTRACT.md): pure functions of the data, no I/O."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from domain.pure.operators import OPERATORS

# Legal-day figures; the request's seconds_per_day turns them into real seconds.
RECEIPT_AFTER_DAYS = 0.02
CONFIRM_AFTER_DAYS = 0.5 / 24  # the recipient opens a delivered link half a legal hour later
POST_IN_TRANSIT_DAYS = 0.1
POST_OUTCOME_DAYS = 2.0
POST_RETURN_DAYS = 0.5  # a refused letter is back at the court half a legal day later
REAL_SECONDS_PER_DAY = 86400.0

NO_SUCH_RECIPIENT = "查无此人"
REFUSED_MARK = "拒收"


@dataclass(frozen=True)
class PlannedEvent:
    """One event the world will report, `after_days` legal days after the send."""

    after_days: float
    kind: str
    detail: dict[str, str] = field(default_factory=dict)
    notify: bool = True  # False: the event only shows in polling, no webhook is posted


def _last_digit(number: str) -> str:
    return number.strip()[-1:]


def sms_gateway_down(to: str) -> bool:
    """Tells whether the gateway refuses every send to this number (ends in 9)."""
    return _last_digit(to) == "9"


def sms_events(to: str, *, flash: bool) -> tuple[PlannedEvent, ...]:
    """Returns the delivery report of an SMS: undeliverable (ends in 0), else delivered."""
    if _last_digit(to) == "0":
        return (
            PlannedEvent(RECEIPT_AFTER_DAYS, "undeliverable", {"reason": "number not in service"}),
        )
    # Whether the link is then opened is the simulated recipient's part (sandbox/recipient.py).
    return (PlannedEvent(RECEIPT_AFTER_DAYS, "delivered"),)


def _bounces(to: str) -> bool:
    return to.strip().partition("@")[0].lower().startswith("bounce")


def email_events(to: str) -> tuple[PlannedEvent, ...]:
    """Returns the receipt of an e-mail: bounced (local part bounce*), else delivered."""
    if _bounces(to):
        return (PlannedEvent(RECEIPT_AFTER_DAYS, "bounced", {"reason": "mailbox unavailable"}),)
    return (PlannedEvent(RECEIPT_AFTER_DAYS, "delivered"),)


def opens_links(channel: str, to: str, *, flash: bool = False) -> bool:
    """Tells whether the recipient of a delivered message opens its link in the portal."""
    # Ordinary numbers (not ending in 0, 1 or 9) and e-mail that does not bounce; never a flash
    # SMS, which is no proof of service.
    if channel == "email":
        return not _bounces(to)
    return not flash and _last_digit(to) not in ("0", "1", "9")


NO_WEBHOOK_MARK = "无回调"


def post_events(address: str) -> tuple[PlannedEvent, ...]:
    """Returns a waybill's tracking: in transit, then returned, refused (and back) or signed."""
    in_transit = PlannedEvent(POST_IN_TRANSIT_DAYS, "in_transit")
    if NO_SUCH_RECIPIENT in address:
        outcome = PlannedEvent(POST_OUTCOME_DAYS, "returned", {"reason": "no_such_recipient"})
    elif REFUSED_MARK in address:
        outcome = PlannedEvent(POST_OUTCOME_DAYS, "refused", {"reason": "refused_by_recipient"})
    else:
        outcome = PlannedEvent(POST_OUTCOME_DAYS, "signed", {"signer": "本人"})
    events = [in_transit, outcome]
    if outcome.kind == "refused":
        # 拒收退回: a refused letter travels back to the court, and its return date is the
        # legal date of the refusal (CPL 91).
        events.append(PlannedEvent(POST_OUTCOME_DAYS + POST_RETURN_DAYS, "returned",
                                   {"reason": "refused"}))  # fmt: skip
    if NO_WEBHOOK_MARK in address:
        # A post office whose webhooks never arrive: only polling the waybill finds the outcome.
        return tuple(replace(e, notify=False) for e in events)
    return tuple(events)


def birth_year(id_number: str) -> int | None:
    """Returns the birth year in an 18-digit (or old 15-digit) ID number, or None."""
    value = id_number.strip()
    if len(value) == 18 and value[6:10].isdigit():
        return int(value[6:10])
    if len(value) == 15 and value[6:8].isdigit():
        return 1900 + int(value[6:8])
    return None


def working_number(id_number: str) -> str:
    """Returns the deterministic working mobile of a person (ends in 2..8: an ordinary number)."""
    value = int.from_bytes(hashlib.sha256(id_number.strip().encode()).digest()[:8], "big")
    return f"139{value % 10**7:07d}{2 + (value // 10**7) % 7}"


def repair_operator(id_number: str) -> str | None:
    """Returns the one operator that finds a person born before 2000 (from the ID's hash)."""
    year = birth_year(id_number)
    if year is None or year >= 2000:
        return None
    # Salted apart from working_number's hash, so the operator and the number vary independently.
    digest = hashlib.sha256(f"operator:{id_number.strip()}".encode()).digest()
    return OPERATORS[digest[0] % len(OPERATORS)]


def repair_numbers(id_number: str, operator: str) -> list[str]:
    """Returns the numbers an operator's lookup finds: the working number, from one operator."""
    if repair_operator(id_number) != operator:
        return []
    return [working_number(id_number)]
