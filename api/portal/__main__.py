"""Runs the recipient portal on 127.0.0.1:SONGDA_PORTAL_PORT (`python -m api.portal`)."""

from __future__ import annotations

import uvicorn

from api.portal.app import create_portal_app
from api.portal.settings import get_portal_settings
from domain import faults
from domain.logs import configure_logging, mask_access_log


def main() -> None:
    """Serves the portal until interrupted."""
    faults.check_at_start()
    settings = get_portal_settings()
    configure_logging(settings.log_level)
    # No master key ring: the portal opens only what was sealed with its own key.
    mask_access_log()
    # The app reads X-Forwarded-For from trusted proxies only (FORWARDED_ALLOW_IPS).
    uvicorn.run(
        create_portal_app(settings),
        host=settings.bind_host,
        port=settings.portal_port,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
