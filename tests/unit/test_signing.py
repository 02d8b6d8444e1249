"""Unit tests for HMAC signatures on provider events and callbacks."""

from __future__ import annotations

import pytest

from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signed_headers, verify

SECRET = "provider-secret"
BODY = b'{"reference":"sms-1","kind":"delivered"}'
NOW = 1_800_000_000.0
MAX_AGE = 300


def headers(now: float = NOW, secret: str = SECRET, body: bytes = BODY) -> tuple[str, str]:
    signed = signed_headers(secret, body, now=now)
    return signed[TIMESTAMP_HEADER], signed[SIGNATURE_HEADER]


def test_round_trip() -> None:
    timestamp, signature = headers()
    assert timestamp == "1800000000"
    assert len(signature) == 64
    assert signature == sign(SECRET, timestamp, BODY)
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW) is True


def test_signed_headers_defaults_to_current_time() -> None:
    signed = signed_headers(SECRET, BODY)
    assert verify(SECRET, signed[TIMESTAMP_HEADER], signed[SIGNATURE_HEADER], BODY, MAX_AGE)


def test_signature_covers_the_timestamp() -> None:
    assert sign(SECRET, "1800000000", BODY) != sign(SECRET, "1800000001", BODY)


def test_wrong_secret_refused() -> None:
    timestamp, signature = headers(secret="other-secret")
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW) is False


def test_altered_body_refused() -> None:
    timestamp, signature = headers()
    altered = BODY.replace(b"delivered", b"confirmed")
    assert verify(SECRET, timestamp, signature, altered, MAX_AGE, now=NOW) is False


def test_replayed_signature_with_new_timestamp_refused() -> None:
    _, signature = headers()
    assert verify(SECRET, str(int(NOW) + 10), signature, BODY, MAX_AGE, now=NOW + 10) is False


@pytest.mark.parametrize("offset", [0, MAX_AGE, -MAX_AGE])
def test_within_max_age_accepted(offset: int) -> None:
    timestamp, signature = headers()
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW + offset) is True


def test_stale_timestamp_refused() -> None:
    timestamp, signature = headers()
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW + MAX_AGE + 1) is False


def test_future_timestamp_refused() -> None:
    timestamp, signature = headers()
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW - MAX_AGE - 1) is False


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [(None, "sig"), ("1800000000", None), ("", "sig"), ("1800000000", ""), (None, None)],
)
def test_missing_headers_refused(timestamp: str | None, signature: str | None) -> None:
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW) is False


@pytest.mark.parametrize("timestamp", ["-1800000000", "1800000000.0", "abc", " 1800000000", "1e9"])
def test_non_digit_timestamp_refused(timestamp: str) -> None:
    signature = sign(SECRET, timestamp, BODY)
    assert verify(SECRET, timestamp, signature, BODY, MAX_AGE, now=NOW) is False


def test_superscript_digit_timestamp_refused() -> None:
    assert verify(SECRET, "²", "sig", BODY, MAX_AGE, now=NOW) is False
