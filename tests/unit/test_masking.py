"""Unit tests for masking personal data in labels, SMS and logs (DOMAIN.md forms)."""

from __future__ import annotations

import pytest

from domain.pure.masking import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)


def test_domain_forms() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("110101200001011232") == "1101**********1232"
    assert mask_id_number("11010119950612101X") == "1101**********101X"
    assert mask_name("张三") == "张*"


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*")]
)
def test_mask_name_keeps_only_the_surname_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_short_values_are_fully_masked() -> None:
    assert mask_phone("12345") == "****"
    assert mask_id_number("12345678") == "****"
    assert mask_name("") == "*"


def test_credit_code_is_masked_like_an_id_number() -> None:
    assert mask_id_number("91110105MA01ABCD5F") == "9111**********CD5F"


def test_mask_email_and_address() -> None:
    assert mask_email("zhangsan@example.com") == "z***@example.com"
    assert mask_address("天津市河西区友谊路35号") == "天津市河西区…"
    assert "友谊路" not in mask_address("天津市河西区友谊路35号")


def test_mask_text_masks_phones_and_id_numbers() -> None:
    text = "当事人张三，电话13812345678，身份证号110101200001011232，另一号码15900001111。"
    masked = mask_text(text)
    assert masked == (
        "当事人张三，电话138****5678，身份证号1101**********1232，另一号码159****1111。"
    )
    for value in ("13812345678", "110101200001011232", "15900001111"):
        assert value not in masked


def test_mask_text_masks_id_with_check_letter() -> None:
    assert mask_text("id=11010119950612101X;") == "id=1101**********101X;"
    assert mask_text("id=11010119950612101x") == "id=1101**********101x"


def test_mask_text_leaves_other_numbers_alone() -> None:
    text = "（2026）津0103民初1234号，标的额300000元，订单1234567890123456789，2026-11-28"
    assert mask_text(text) == text


def test_mask_text_does_not_mask_part_of_a_longer_number() -> None:
    # 12 digits starting like a mobile: not a mobile.
    assert mask_text("138123456789") == "138123456789"
    # Not a mobile prefix (12x).
    assert mask_text("12812345678") == "12812345678"


def test_mask_text_with_0086_prefix() -> None:
    assert mask_text("0086-13812345678") == "0086-138****5678"


@pytest.mark.parametrize("text", ["+8613812345678", "008613812345678"])
def test_mask_text_with_country_code(text: str) -> None:
    assert "13812345678" not in mask_text(text)


def test_access_log_drops_queries_shortens_links_and_masks_numbers() -> None:
    import logging

    from domain.logs import AccessLogMasking

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        "%s %s %s %s %s",
        ("127.0.0.1", "GET", "/sandbox/sms/13800001234?to=13800001234", "1.1", 200),
        None,
    )
    AccessLogMasking().filter(record)
    assert record.args is not None and record.args[2] == "/sandbox/sms/138****1234"
    record.args = ("127.0.0.1", "GET", "/s/abcdefghijklmnop", "1.1", 200)
    AccessLogMasking().filter(record)
    assert record.args[2] == "/s/abcd…"
