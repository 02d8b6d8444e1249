"""Runs the recipient portal on 127.0.0.1:SONGDA_PORTAL_PORT (`python -m api.portal`)."""

from __future__ import annotations

import logging
import re

import uvicorn

from api.portal.app import create_portal_app
from domain.logs import configure_logging
from domain.masking import mask_text
from domain.settings import get_settings

# A link's token opens the landing page: logs keep only its first characters.
_TOKEN = re.compile(r"(/s/[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+")


class AccessLogMasking(logging.Filter):
    """Shortens link tokens and masks numbers in uvicorn's access-log paths."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites uvicorn's access-log arguments (client, method, path, version, status)."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            path = _TOKEN.sub(r"\1…", str(args[2]).partition("?")[0])
            record.args = (args[0], args[1], mask_text(path), args[3], args[4])
        return True


def main() -> None:
    """Serves the portal until interrupted."""
    settings = get_settings()
    configure_logging(settings.log_level)
    logging.getLogger("uvicorn.access").addFilter(AccessLogMasking())
    # The rate limit counts per client address: uvicorn takes it from X-Forwarded-For when the
    # connection comes from a trusted proxy (FORWARDED_ALLOW_IPS, by default 127.0.0.1).
    uvicorn.run(
        create_portal_app(settings),
        host="127.0.0.1",
        port=settings.portal_port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
