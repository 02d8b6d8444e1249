"""Validators for identity data: resident IDs, credit codes, mobiles, licences, case numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

LicenceStatus = Literal["valid", "legacy"]


class InvalidIdentity(ValueError):
    """Raised when an identity value fails its check; the message never contains the value."""

    def __init__(self, kind: str, problem: str) -> None:
        super().__init__(f"{kind}: {problem}")
        self.kind = kind
        self.problem = problem


def _compact(value: str) -> str:
    # NFKC folds full-width digits and letters typed with a Chinese IME (１１０１，ｘ) to ASCII.
    return "".join(unicodedata.normalize("NFKC", value).split())


# --- resident ID (GB 11643) ------------------------------------------------------------------

_ID = "resident ID number"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"\d{17}[\dX]", re.ASCII)
_LEGACY_ID_RE = re.compile(r"\d{15}", re.ASCII)
# GB/T 2260 province-level codes, plus 81/82/83 used by HK, Macao and Taiwan residence permits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_OLDEST_BIRTH_YEAR = 1900


def _id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _region_is_known(number: str) -> bool:
    # The 2023 foreign permanent resident card puts 9 first, then the province code.
    province = number[1:3] if number[0] == "9" else number[:2]
    return province in _PROVINCES


def _parse_birth(number: str) -> date:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        # from None: the original error text would quote the digits.
        raise InvalidIdentity(_ID, "the birth date in it is not a real date") from None


def normalize_id_number(value: str, *, today: date | None = None) -> str:
    """Returns the 18-character resident ID number, upgrading 15-digit numbers, or raises."""
    number = _compact(value).upper()
    if _LEGACY_ID_RE.fullmatch(number):
        first17 = f"{number[:6]}19{number[6:]}"
        number = first17 + _id_check_char(first17)
    if len(number) != 18:
        raise InvalidIdentity(
            _ID, "it must have 18 characters (15 for an old first-generation card)"
        )
    if not _ID_RE.fullmatch(number):
        raise InvalidIdentity(_ID, "only digits are allowed, with X possible as the last character")
    if not _region_is_known(number):
        raise InvalidIdentity(_ID, "the first digits are not a known region code")
    birth = _parse_birth(number)
    if birth > (today or date.today()) or birth.year < _OLDEST_BIRTH_YEAR:
        raise InvalidIdentity(_ID, "the birth date in it is not a plausible past date")
    if _id_check_char(number[:17]) != number[17]:
        raise InvalidIdentity(
            _ID, "the last character does not match; re-check it against the card"
        )
    return number


def birth_date_of(id_number: str) -> date:
    """Returns the birth date encoded in a resident ID number, validating the number first."""
    return _parse_birth(normalize_id_number(id_number))


# --- unified social credit code (GB 32100) ----------------------------------------------------

_CREDIT = "unified social credit code"
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_INDEX = {c: i for i, c in enumerate(_CREDIT_ALPHABET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def normalize_credit_code(value: str) -> str:
    """Returns the upper-case 18-character unified social credit code, or raises."""
    code = _compact(value).upper()
    if len(code) != 18:
        raise InvalidIdentity(_CREDIT, "it must have 18 characters")
    if any(c not in _CREDIT_INDEX for c in code):
        raise InvalidIdentity(_CREDIT, "it may use digits and capital letters except I, O, S, V, Z")
    if not code[2:8].isdigit():
        raise InvalidIdentity(_CREDIT, "characters 3 to 8 (the region code) must be digits")
    total = sum(_CREDIT_INDEX[c] * w for c, w in zip(code[:17], _CREDIT_WEIGHTS, strict=True))
    if _CREDIT_ALPHABET[(31 - total % 31) % 31] != code[17]:
        raise InvalidIdentity(_CREDIT, "the last character does not match; re-check the licence")
    return code


# --- mobile number ----------------------------------------------------------------------------

_MOBILE = "mobile number"
_MOBILE_RE = re.compile(r"1[3-9]\d{9}", re.ASCII)


def normalize_mobile(value: str) -> str:
    """Returns the 11-digit mainland mobile number without country code or separators, or raises."""
    number = _compact(value).replace("-", "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    if not _MOBILE_RE.fullmatch(number):
        raise InvalidIdentity(
            _MOBILE, "it must be an 11-digit mainland mobile number starting 13-19"
        )
    return number


# --- lawyer licence ---------------------------------------------------------------------------

_LICENCE = "lawyer licence number"
_LICENCE_RE = re.compile(r"1\d{4}(?:19[89]\d|20\d{2})[1-9][01]\d{6}", re.ASCII)


def classify_licence(value: str) -> LicenceStatus:
    """Returns "valid" for a current 17-digit licence number, "legacy" for other digit strings."""
    number = _compact(value)
    if not number.isascii() or not number.isdigit():
        raise InvalidIdentity(_LICENCE, "it must consist of digits only")
    if len(number) != 17:
        # Older formats have no published structure: the registry verifies them, we do not refuse.
        return "legacy"
    if not _LICENCE_RE.fullmatch(number):
        raise InvalidIdentity(_LICENCE, "the 17 digits do not follow the current licence format")
    return "valid"


# --- case number (案号) -----------------------------------------------------------------------

_CASE = "case number"
_COURT_PROVINCES = "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新军兵"
# Matched after NFKC, which turns full-width brackets and digits into half-width ones.
_CASE_RE = re.compile(
    rf"\((\d{{4}})\)(最高法|[{_COURT_PROVINCES}](?:\d{{4}}|\d{{2}})?)"
    r"([\u4e00-\u9fff]+)([1-9]\d*)号",
    re.ASCII,
)
_LEGACY_CASE_RE = re.compile(r"[(\[〔]\d{4}[)\]〕][\u4e00-\u9fff]+字第\d+号", re.ASCII)


def is_legacy_case_number(value: str) -> bool:
    """Tells whether a case number is in the pre-2016 form, e.g. (2015)朝民初字第12345号."""
    return _LEGACY_CASE_RE.fullmatch(_compact(value)) is not None


def normalize_case_number(value: str) -> str:
    """Returns a case number with full-width brackets; pre-2016 forms come back unchanged."""
    if is_legacy_case_number(value):
        # Legacy numbers are kept verbatim as text: they follow no rule we could re-format by.
        return value.strip()
    match = _CASE_RE.fullmatch(_compact(value))
    if match is None:
        raise InvalidIdentity(
            _CASE,
            "it must read like （2021）津0103民初1234号: a 4-digit year in brackets, the court, "
            "the case type, a serial number without leading zeros, then 号",
        )
    year, court, case_type, serial = match.groups()
    return f"（{year}）{court}{case_type}{serial}号"
