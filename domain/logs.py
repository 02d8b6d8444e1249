"""structlog set-up: JSON lines, with anything that looks like personal data masked."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

from domain.pure.masking import mask_text


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if isinstance(value, BaseException):
        return mask_text(f"{type(value).__name__}: {value}")
    return value


def mask_personal_data(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> Any:
    """Masks mobile and ID numbers in every value of a log event, nested ones and tracebacks."""
    for key, value in list(event.items()):
        event[key] = _masked(value)
    return event


class MaskingFormatter(logging.Formatter):
    """Formats standard-library records (tracebacks included), then masks the whole line."""

    def format(self, record: logging.LogRecord) -> str:
        """Returns the formatted record with mobile and ID numbers masked."""
        return mask_text(super().format(record))


def configure_logging(level: str = "INFO") -> None:
    """Routes structlog and the standard library through one masked JSON renderer."""
    logging.basicConfig(level=level, format="%(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(MaskingFormatter("%(message)s"))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # Tracebacks become text first, so the masking below reaches exception messages.
            structlog.processors.format_exc_info,
            mask_personal_data,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=True,
    )


# A portal link's token opens the landing page: access logs keep only its first characters.
_LINK_TOKEN = re.compile(r"(/s/[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+")


class AccessLogMasking(logging.Filter):
    """Drops query strings, shortens link tokens and masks numbers in uvicorn's access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites uvicorn's access-log arguments (client, method, path, version, status)."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            path = _LINK_TOKEN.sub(r"\1…", str(args[2]).partition("?")[0])
            record.args = (args[0], args[1], mask_text(path), args[3], args[4])
        return True


class ErrorLogMasking(logging.Filter):
    """Masks numbers in a record's message and traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Renders the message and the traceback now, masked, so handlers print them as is."""
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


def mask_access_log() -> None:
    """Installs the masking filters on uvicorn's access and error loggers."""
    logging.getLogger("uvicorn.access").addFilter(AccessLogMasking())
    # uvicorn gives its loggers their own handlers: tracebacks of failed requests go there.
    logging.getLogger("uvicorn.error").addFilter(ErrorLogMasking())
