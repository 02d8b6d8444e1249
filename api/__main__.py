"""Runs the intranet API on 127.0.0.1 and the configured port."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from domain.logs import configure_logging
from domain.settings import get_settings


def main() -> None:
    """Serves the API until interrupted."""
    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host="127.0.0.1",
        port=settings.api_port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
