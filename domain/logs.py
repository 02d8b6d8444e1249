"""structlog set-up: JSON lines, with anything that looks like personal data masked."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

from domain.masking import mask_text


def mask_personal_data(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> Any:
    """Masks mobile and ID numbers in every string value of a log event."""
    for key, value in list(event.items()):
        if isinstance(value, str):
            event[key] = mask_text(value)
    return event


def configure_logging(level: str = "INFO") -> None:
    """Routes structlog and the standard library through one masked JSON renderer."""
    logging.basicConfig(level=level, format="%(message)s")
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
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


def mask_access_log() -> None:
    """Installs AccessLogMasking on uvicorn's access logger."""
    logging.getLogger("uvicorn.access").addFilter(AccessLogMasking())
