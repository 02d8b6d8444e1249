"""Runs the sandbox on 127.0.0.1:SONGDA_SANDBOX_PORT (`python -m sandbox`)."""

from __future__ import annotations

import uvicorn

from domain.logs import configure_logging, mask_access_log
from domain.settings import get_settings
from sandbox.app import create_app


def main() -> None:
    """Serves the sandbox until interrupted."""
    settings = get_settings()
    configure_logging(settings.log_level)
    mask_access_log()
    # The process keeps its world in the state folder, so a restart forgets nothing it accepted.
    journal = settings.state_dir / "sandbox" / "journal.jsonl"
    uvicorn.run(
        create_app(settings, journal=journal),
        host="127.0.0.1",
        port=settings.sandbox_port,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
