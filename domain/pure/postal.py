"""Court special post (法院专递): tracking statuses and the legal effect of each (CPL 91)."""

from __future__ import annotations

from dataclasses import dataclass

# What a tracking status means for service. `signed` serves on the signing date; `refused`
# is the refusal at the door: the letter serves on the date it is `returned` to the court
# (rebuttable), so 拒收退回 is a return with the reason `refused`; `returned` serves on the
# return date only from a confirmed address, else the ladder goes on; `in_transit` changes
# nothing yet (domain.pure.served_on.mail_served decides).
SIGNED, REFUSED, RETURNED, IN_TRANSIT = "signed", "refused", "returned", "in_transit"
FINAL = frozenset({SIGNED, REFUSED, RETURNED})


@dataclass(frozen=True)
class Tracking:
    """A tracking status mapped to its legal meaning, with the return reason if any."""

    kind: str
    reason: str = ""


# China Post / EMS wording as the centre sees it, and the sandbox's own codes.
_STATUSES: dict[str, Tracking] = {
    "收寄": Tracking(IN_TRANSIT),
    "运输中": Tracking(IN_TRANSIT),
    "到达投递局": Tracking(IN_TRANSIT),
    "投递中": Tracking(IN_TRANSIT),
    "妥投": Tracking(SIGNED),
    "本人签收": Tracking(SIGNED),
    "他人代收": Tracking(SIGNED),
    "单位收发章签收": Tracking(SIGNED),
    "拒收": Tracking(REFUSED),
    "拒收退回": Tracking(RETURNED, "refused"),
    "查无此人": Tracking(RETURNED, "no_such_recipient"),
    "地址不详": Tracking(RETURNED, "address_unknown"),
    "迁移新址不明": Tracking(RETURNED, "moved_unknown"),
    "原址无人": Tracking(RETURNED, "nobody_at_address"),
    "逾期未领": Tracking(RETURNED, "unclaimed"),
    IN_TRANSIT: Tracking(IN_TRANSIT),
    SIGNED: Tracking(SIGNED),
    REFUSED: Tracking(REFUSED),
    RETURNED: Tracking(RETURNED),
}


class UnknownTrackingStatus(ValueError):
    """A status the mapping does not know: it must be added before it can count."""


def map_tracking(status: str, reason: str = "") -> Tracking:
    """Returns the legal meaning of a tracking status; a given reason overrides the default."""
    known = _STATUSES.get(status.strip())
    if known is None:
        raise UnknownTrackingStatus(f"unknown tracking status {status!r}")
    return Tracking(known.kind, reason or known.reason)
