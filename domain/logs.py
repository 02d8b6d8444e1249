"""structlog set-up: JSON lines, with anything that looks like personal data masked."""

from __future__ import annotations

import logging
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
