"""Sealed repaired numbers in contact_value, and the operators' token buckets."""

from __future__ import annotations

import pytest

from activities.repair_limits import TokenBucket
from domain.crypto.keyring import KeyRing
from domain.pure.ladder import Contact
from domain.store.contacts import SealedContactError, contact_value, describe
from domain.tables.core import Party

REPAIRED = Contact("phone", 0, "139****5678", False, "repaired")


def test_contact_value_opens_a_sealed_repaired_number(ring: KeyRing) -> None:
    party = Party(phones=["13800000002"], repaired_phones=[ring.seal("13912345678")])
    assert contact_value(party, REPAIRED, ring) == "13912345678"
    assert contact_value(party, Contact("phone", 0, "138****0002"), ring) == "13800000002"
    assert [c.label for c in describe(party, "phone", [0], ring=ring)] == ["138****0002"]


def test_contact_value_still_reads_clear_repaired_numbers_of_older_rows() -> None:
    party = Party(phones=[], repaired_phones=["13912345678"])
    assert contact_value(party, REPAIRED) == "13912345678"


def test_a_sealed_number_without_the_ring_is_refused_without_echoing_it(ring: KeyRing) -> None:
    party = Party(phones=[], repaired_phones=[ring.seal("13912345678")])
    with pytest.raises(SealedContactError) as raised:
        contact_value(party, REPAIRED)
    assert "13912345678" not in str(raised.value)


def test_bucket_allows_its_burst_then_refills_with_time() -> None:
    now = [100.0]
    bucket = TokenBucket(2, clock=lambda: now[0])
    assert [bucket.try_take() for _ in range(3)] == [True, True, False]
    now[0] += 29.0
    assert not bucket.try_take()
    now[0] += 1.0  # 30 s at two a minute: one token back
    assert bucket.try_take() and not bucket.try_take()


def test_bucket_refuses_a_limit_below_one_a_minute() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
