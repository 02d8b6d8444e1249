"""The console's Chinese words for the plan's reasons, outcomes and rules, with their articles."""

from __future__ import annotations

from domain.pure.console_texts import law_text, outcome_text, plan_reason


def test_plan_reasons_are_chinese_with_the_article() -> None:
    english = (
        "electronic first as a reminder: there is no consent in the request or on record, so "
        "only the party's confirmation in the portal serves (Online Litigation Rules 31-32); "
        "relies on 138****0010 (submitted; confidence 0.50)"
    )
    assert plan_reason("electronic", english) == (
        "先发电子提醒：当事人未同意电子送达，仅当事人在门户中确认收悉才视为送达"
        "（《人民法院在线诉讼规则》第31—32条）"
    )
    last = "last resort once every other means failed (CPL 95; Interp. 138-140)"
    assert plan_reason("public_notice", last).endswith(
        "（《民事诉讼法》第95条；《民诉法解释》第138—140条）"
    )
    assert plan_reason("direct", "something new (CPL 88)") == "法警直接送达（《民事诉讼法》第88条）"


def test_outcomes_and_rules_are_chinese() -> None:
    assert outcome_text("every electronic address failed") == "所有电子地址均发送失败"
    assert outcome_text("CPL 91, signed for, served on the signing date") == (
        "已签收，签收日视为送达（《民事诉讼法》第91条）"
    )
    assert outcome_text("2026-12-08") == "2026-12-08"
    assert law_text("CPL 90; Online Litigation Rules 31") == (
        "《民事诉讼法》第90条；《人民法院在线诉讼规则》第31条"
    )


def test_codes_read_as_words_and_ids_pass_through() -> None:
    assert outcome_text("delivered") == "已送达"
    assert outcome_text("9d9a9a877ec5a695") == "9d9a9a877ec5a695"
    assert outcome_text("a clerk calls on a recorded line (Online Litigation Rules 30)") == (
        "书记员录音电话联系，核实身份、送达地址并征询电子送达同意（《人民法院在线诉讼规则》第30条）"
    )
