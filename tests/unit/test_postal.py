"""Tracking statuses map to their legal meaning (CPL 91)."""

from __future__ import annotations

import pytest

from domain.pure.postal import UnknownTrackingStatus, map_tracking


@pytest.mark.parametrize(
    ("status", "kind", "reason"),
    [
        ("妥投", "signed", ""),
        ("他人代收", "signed", ""),
        ("拒收", "refused", ""),
        # The letter is back at the court: a return whose reason is the refusal (issue 12).
        ("拒收退回", "returned", "refused"),
        ("查无此人", "returned", "no_such_recipient"),
        ("迁移新址不明", "returned", "moved_unknown"),
        ("逾期未领", "returned", "unclaimed"),
        ("运输中", "in_transit", ""),
        ("signed", "signed", ""),
    ],
)
def test_statuses_map_to_legal_meaning(status: str, kind: str, reason: str) -> None:
    tracking = map_tracking(status)
    assert (tracking.kind, tracking.reason) == (kind, reason)


def test_a_given_reason_wins() -> None:
    assert map_tracking("returned", "address_unknown").reason == "address_unknown"


def test_an_unknown_status_is_refused_not_guessed() -> None:
    with pytest.raises(UnknownTrackingStatus):
        map_tracking("丢失")
