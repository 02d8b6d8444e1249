"""Masks personal data for display, labels and logs (DOMAIN.md formats)."""

from __future__ import annotations

import re


def mask_phone(phone: str) -> str:
    """Returns 138****5678 for a mobile number."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


def mask_id_number(value: str) -> str:
    """Returns 1101**********1232 for an ID number or credit code."""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else "****"


def mask_name(name: str) -> str:
    """Returns 张* for 张三 (the form SMS texts use)."""
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else "*"


def mask_email(email: str) -> str:
    """Returns z***@example.com."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """Keeps the first six characters (district level) of an address."""
    return f"{address[:6]}…" if len(address) > 6 else address


# A country code (86, 0086) may stand right before the number.
_PHONE_RE = re.compile(r"(?:(?<=86)|(?<!\d))(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Masks anything in free text that looks like a mobile or ID number."""
    text = _ID_RE.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    return _PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def mask_value(value: object) -> object:
    """Masks mobile and ID numbers in every string of a nested value (timeline details)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return value
