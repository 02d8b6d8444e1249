"""Runs the intranet API on 127.0.0.1 and the configured port."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from domain import faults
from domain.logs import configure_logging, mask_access_log
from domain.settings import get_settings


def main() -> None:
    """Serves the API until interrupted."""
    faults.check_at_start()
    settings = get_settings()
    configure_logging(settings.log_level)
    mask_access_log()
    uvicorn.run(
        create_app(settings),
        host=settings.bind_host,
        port=settings.api_port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
