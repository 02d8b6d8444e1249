"""The scenario rules as pure functions (CONTRACT.md, the sandbox's scenarios)."""

from __future__ import annotations

import re

from domain.pure.operators import OPERATORS
from sandbox import world


def test_sms_rules_follow_the_last_digit() -> None:
    assert world.sms_gateway_down("13800000009")
    assert not world.sms_gateway_down("13800000002")
    assert [e.kind for e in world.sms_events("13800000000", flash=False)] == ["undeliverable"]
    assert [e.kind for e in world.sms_events("13800000001", flash=False)] == ["delivered"]
    assert [e.kind for e in world.sms_events("13800000005", flash=False)] == ["delivered"]


def test_flash_sms_gets_the_same_delivery_report() -> None:
    assert [e.kind for e in world.sms_events("13800000005", flash=True)] == ["delivered"]
    assert [e.kind for e in world.sms_events("13800000000", flash=True)] == ["undeliverable"]


def test_confirmation_comes_within_a_legal_hour_of_delivery() -> None:
    (delivered,) = world.sms_events("13800000002", flash=False)
    assert delivered.after_days == 0.02
    # The simulated recipient opens the link half a legal hour after delivery.
    assert 0 < world.CONFIRM_AFTER_DAYS <= 1 / 24


def test_email_bounces_only_for_bounce_local_parts() -> None:
    (bounced,) = world.email_events("Bounce-1@example.com")
    assert (bounced.kind, bounced.detail) == ("bounced", {"reason": "mailbox unavailable"})
    assert [e.kind for e in world.email_events("bob@bounce.example")] == ["delivered"]


def test_post_outcome_follows_the_address() -> None:
    returned = world.post_events("天津市河西区查无此人路1号")
    refused = world.post_events("天津市河西区拒收路2号")
    signed = world.post_events("天津市河西区友谊路3号")
    assert [e.kind for e in returned] == ["in_transit", "returned"]
    assert returned[1].detail == {"reason": "no_such_recipient"}
    assert [e.kind for e in refused] == ["in_transit", "refused", "returned"]
    assert refused[2].detail == {"reason": "refused"} and refused[2].after_days == 2.5
    assert signed[1].detail == {"signer": "本人"} and signed[1].after_days == 2.0


def test_repair_finds_an_ordinary_number_at_exactly_one_operator_before_2000() -> None:
    chosen = set()
    for serial in range(200):
        id_number = f"1101011985010{serial:03d}12"
        operator = world.repair_operator(id_number)
        assert operator in OPERATORS
        chosen.add(operator)
        (number,) = world.repair_numbers(id_number, operator)
        assert re.fullmatch(r"139\d{7}[2-8]", number)
        assert not world.sms_gateway_down(number)
        assert (
            world.repair_numbers(id_number, operator)
            == [number]
            == [world.working_number(id_number)]
        )
        others = [o for o in OPERATORS if o != operator]
        assert all(world.repair_numbers(id_number, o) == [] for o in others)
    assert chosen == set(OPERATORS)  # the hash spreads people over all three


def test_repair_finds_nothing_for_people_born_2000_or_later_or_bad_numbers() -> None:
    for operator in OPERATORS:
        assert world.repair_numbers("110101200301011234", operator) == []
        assert world.repair_numbers("not-an-id", operator) == []
    assert world.repair_operator("110101200001011234") is None
    assert world.repair_operator("110101199912311234") in OPERATORS
