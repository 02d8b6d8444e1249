"""Suite-wide set-up: development mode, and the data key ring every sealed column needs."""

from __future__ import annotations

import os

# The suite runs in explicit development mode (its development secrets would stop every process
# otherwise); every stack and CLI it starts inherits this environment (launcher.Stack).
os.environ["SONGDA_ENV"] = "development"

from domain.crypto.sealed_types import install_ring  # noqa: E402
from domain.settings import Settings  # noqa: E402

# Settings() reads SONGDA_DATA_KEYS like the app; the defaults are the development keys.
install_ring(Settings().key_ring)
