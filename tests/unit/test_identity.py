"""Unit tests for the identity validators, with the vectors of DOMAIN.md."""

from __future__ import annotations

from datetime import date

import pytest

from domain.identity import (
    InvalidIdentity,
    birth_date_of,
    classify_licence,
    is_legacy_case_number,
    normalize_case_number,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)


def assert_refused_without_echo(func: object, value: str) -> None:
    assert callable(func)
    with pytest.raises(InvalidIdentity) as caught:
        func(value)
    message = str(caught.value)
    compact = "".join(value.split())
    if compact:
        assert value not in message
        assert compact not in message
        assert compact.upper() not in message
    # A chained cause (e.g. int() or date() errors) would leak the value into tracebacks.
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(
    "value", ["110101200001011232", "11010119950612101X", "440306199907150021"]
)
def test_valid_id_numbers(value: str) -> None:
    assert normalize_id_number(value) == value


def test_id_number_is_cleaned() -> None:
    assert normalize_id_number(" 110101 19950612 101x ") == "11010119950612101X"
    assert normalize_id_number("１１０１０１２００００１０１１２３２") == "110101200001011232"


def test_legacy_15_digit_id_is_upgraded() -> None:
    assert normalize_id_number("110101950612101") == "11010119950612101X"


@pytest.mark.parametrize(
    "value",
    [
        "110101200001011230",  # check digit
        "110101200002301231",  # 30 February
        "11010120000101123",  # 17 characters
        "1101012000010112321",  # 19 characters
        "11010120000101123Y",  # letter other than X
        "990101200001011232",  # no such region
        "110101189901011232",  # implausibly old
        "",
    ],
)
def test_invalid_id_numbers(value: str) -> None:
    assert_refused_without_echo(normalize_id_number, value)


def test_future_birth_date_is_refused() -> None:
    with pytest.raises(InvalidIdentity, match="plausible"):
        normalize_id_number("110101200001011232", today=date(1999, 12, 31))


def test_birth_date_of() -> None:
    assert birth_date_of("11010119950612101x") == date(1995, 6, 12)
    assert birth_date_of("110101200001011232") == date(2000, 1, 1)


def test_invalid_identity_names_the_field() -> None:
    with pytest.raises(InvalidIdentity) as caught:
        normalize_id_number("110101200001011230")
    assert caught.value.kind == "resident ID number"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "value", ["91110105MA01ABCD5F", "31110000400000018U", "91350100M000100Y43"]
)
def test_valid_credit_codes(value: str) -> None:
    assert normalize_credit_code(value) == value
    assert normalize_credit_code(value.lower()) == value


@pytest.mark.parametrize(
    "value", ["91110105MA01ABCD50", "91110105MA01IBCD8Q", "91110105MA01ABCD5", "91AB0105MA01ABCD5F"]
)
def test_invalid_credit_codes(value: str) -> None:
    assert_refused_without_echo(normalize_credit_code, value)


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+8613812345678",
        "008613812345678",
        "+86 138 1234 5678",
        "138-1234-5678",
        "0086-138-1234-5678",
    ],
)
def test_valid_mobiles(value: str) -> None:
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "138123456789", "+85213812345678", "010-12345678", ""]
)
def test_invalid_mobiles(value: str) -> None:
    assert_refused_without_echo(normalize_mobile, value)


def test_licence_classification() -> None:
    assert classify_licence("11101200910123456") == "valid"
    assert classify_licence("1110120091012345") == "legacy"
    assert classify_licence("123456789012") == "legacy"


@pytest.mark.parametrize(
    "value", ["", "   ", "1110120091012345A", "律师11101200910123456", "11101170010123456"]
)
def test_invalid_licences(value: str) -> None:
    assert_refused_without_echo(classify_licence, value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(2021)津0103民初1234号", "（2021）津0103民初1234号"),
        ("（2023）京01民终567号", "（2023）京01民终567号"),
        ("(2020)最高法民申12号", "（2020）最高法民申12号"),
        ("(2019)最高法知民终1号", "（2019）最高法知民终1号"),
        ("（2022）内民终9号", "（2022）内民终9号"),
        ("(2024)兵08执1号", "（2024）兵08执1号"),
        (" (2024) 沪0115 刑初 88号 ", "（2024）沪0115刑初88号"),
    ],
)
def test_valid_case_numbers(value: str, expected: str) -> None:
    assert normalize_case_number(value) == expected
    assert not is_legacy_case_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "(2021)津0103民初01234号",  # leading zero in the serial
        "(21)津0103民初1234号",  # 2-digit year
        "(2021)津010民初1234号",  # 3-digit court code
        "(2021)朝0103民初1234号",  # not a province
        "(2021)津0103民初1234",  # no 号
        "(2021)津0103 1234号",  # no case type
        "",
    ],
)
def test_invalid_case_numbers(value: str) -> None:
    assert_refused_without_echo(normalize_case_number, value)


@pytest.mark.parametrize("value", ["(2015)朝民初字第12345号", "（2014）京一中民终字第00123号"])
def test_legacy_case_numbers_are_kept(value: str) -> None:
    assert is_legacy_case_number(value)
    assert normalize_case_number(value) == value
