"""Runs the recipient portal on 127.0.0.1:SONGDA_PORTAL_PORT (`python -m api.portal`)."""

from __future__ import annotations

import uvicorn

from api.portal.app import create_portal_app
from domain import faults
from domain.crypto.sealed_types import install_ring
from domain.logs import configure_logging, mask_access_log
from domain.settings import get_settings


def main() -> None:
    """Serves the portal until interrupted."""
    faults.check_at_start()
    settings = get_settings()
    configure_logging(settings.log_level)
    install_ring(settings.key_ring)
    mask_access_log()
    # The rate limit counts per client address: uvicorn takes it from X-Forwarded-For when the
    # connection comes from a trusted proxy (FORWARDED_ALLOW_IPS, by default 127.0.0.1).
    uvicorn.run(
        create_portal_app(settings),
        host=settings.bind_host,
        port=settings.portal_port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
