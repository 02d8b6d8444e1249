"""Logs mask ID and mobile numbers in messages, nested values, exception texts and tracebacks."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
import structlog

from domain.logs import ErrorLogMasking, MaskingFormatter, configure_logging
from tests.personal_data.rows import ID_NUMBER, PHONE

SECRETS = (ID_NUMBER, PHONE, ID_NUMBER.lower())


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """structlog configured as the processes configure it, writing to a buffer."""
    buffer = io.StringIO()
    configure_logging("INFO")
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(buffer), cache_logger_on_first_use=False
    )
    yield buffer
    structlog.reset_defaults()


def fail_with_personal_data() -> None:
    """Raises an error whose text and traceback hold an ID number and a phone number."""
    number = PHONE
    raise ValueError(f"party {ID_NUMBER} has no working number besides {number}")


def test_exception_text_and_traceback_are_masked(captured: io.StringIO) -> None:
    try:
        fail_with_personal_data()
    except ValueError:
        structlog.get_logger("t").exception("send.failed", target={"phones": [PHONE]})
    line = captured.getvalue()
    event = json.loads(line)
    assert "Traceback" in event["exception"] and "1101**********101X" in event["exception"]
    assert "139****5678" in json.dumps(event["target"], ensure_ascii=False)
    assert not any(secret in line for secret in SECRETS)


def test_an_exception_value_in_an_event_is_masked(captured: io.StringIO) -> None:
    structlog.get_logger("t").warning("x", error=ValueError(f"no {PHONE}"))
    assert PHONE not in captured.getvalue()


def test_standard_library_records_and_their_tracebacks_are_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter("%(message)s"))
    logger = logging.getLogger("songda.test.stdlib")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        fail_with_personal_data()
    except ValueError:
        logger.exception("request for %s failed", PHONE)
    logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and not any(secret in text for secret in SECRETS)


def test_uvicorn_error_records_are_masked_before_their_own_handlers() -> None:
    try:
        fail_with_personal_data()
    except ValueError:
        record = logging.LogRecord("uvicorn.error", 40, __file__, 1, "for %s", (PHONE,), None)
        record.exc_info = sys.exc_info()
    assert ErrorLogMasking().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert "Traceback" in text and not any(secret in text for secret in SECRETS)
