"""Suite-wide set-up: the data key ring every sealed column needs, installed once per process."""

from __future__ import annotations

from domain.crypto.sealed_types import install_ring
from domain.settings import Settings

# Settings() reads SONGDA_DATA_KEYS like the app; the defaults are the development keys.
install_ring(Settings().key_ring)
