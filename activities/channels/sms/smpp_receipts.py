"""SMPP delivery receipts: the SMSC's text parsed and turned into songda's provider event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.pure.clock import BEIJING

PROVIDER = "smpp"
# Final states (SMPP 3.4 appendix B); ENROUTE and ACCEPTD are on the way and report nothing.
KINDS = {
    "DELIVRD": "delivered",
    "UNDELIV": "undeliverable",
    "EXPIRED": "undeliverable",
    "REJECTD": "undeliverable",
    "UNKNOWN": "undeliverable",
    "DELETED": "undeliverable",
}
_FIELD = re.compile(r"(id|sub|dlvrd|submit date|done date|stat|err):(\S*)", re.IGNORECASE)
_TEXT = re.compile(r"\btext:", re.IGNORECASE)


@dataclass(frozen=True)
class Receipt:
    """One delivery receipt as the SMSC wrote it."""

    message_id: str
    stat: str
    err: str
    done_date: str
    raw: str

    @property
    def kind(self) -> str | None:
        """Returns songda's event kind, or None for a state that is not final."""
        return KINDS.get(self.stat)


def parse_receipt(raw: str) -> Receipt:
    """Reads `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`."""
    head = _TEXT.split(raw, maxsplit=1)[0]
    fields = {name.lower(): value for name, value in _FIELD.findall(head)}
    if not fields.get("id") or not fields.get("stat"):
        raise ValueError("not a delivery receipt: it names no id or no stat")
    return Receipt(
        message_id=fields["id"],
        stat=fields["stat"].upper(),
        err=fields.get("err", ""),
        done_date=fields.get("done date", ""),
        raw=raw,
    )


def occurred_at(done_date: str, fallback: datetime | None = None) -> str:
    """Returns the done date (YYMMDDhhmm[ss], Beijing time) as ISO 8601 with its offset."""
    pattern = {10: "%y%m%d%H%M", 12: "%y%m%d%H%M%S"}.get(len(done_date))
    try:
        if pattern is None:
            raise ValueError(done_date)
        moment = datetime.strptime(done_date, pattern).replace(tzinfo=BEIJING)
    except ValueError:
        moment = fallback or datetime.now(BEIJING)  # an SMSC that leaves the date out
    return moment.isoformat()


def event_id(receipt: Receipt) -> str:
    """Returns an id fixed by the message id and state, so a repeated receipt is a replay."""
    return f"smpp:{receipt.message_id}:{receipt.stat.lower()}"


def receipt_event(receipt: Receipt, reference: str) -> dict[str, Any]:
    """Returns the provider event songda's API takes for this receipt."""
    return {
        "event_id": event_id(receipt),
        "reference": reference,
        "kind": receipt.kind,
        "occurred_at": occurred_at(receipt.done_date),
        "detail": {
            "message_id": receipt.message_id,
            "stat": receipt.stat,
            "err": receipt.err,
            "raw": receipt.raw,
        },
    }
