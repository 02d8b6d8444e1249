"""Runs the sandbox on 127.0.0.1:SONGDA_SANDBOX_PORT (`python -m sandbox`)."""

from __future__ import annotations

import logging

import uvicorn

from domain.logs import configure_logging
from domain.masking import mask_text
from domain.settings import get_settings
from sandbox.app import create_app


class AccessLogMasking(logging.Filter):
    """Drops query strings (?to= holds numbers and addresses) and masks numbers in paths."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites uvicorn's access-log arguments (client, method, path, version, status)."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            path = str(args[2]).partition("?")[0]
            record.args = (args[0], args[1], mask_text(path), args[3], args[4])
        return True


def main() -> None:
    """Serves the sandbox until interrupted."""
    settings = get_settings()
    configure_logging(settings.log_level)
    logging.getLogger("uvicorn.access").addFilter(AccessLogMasking())
    uvicorn.run(
        create_app(settings),
        host="127.0.0.1",
        port=settings.sandbox_port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
