"""The portal's own data key: it seals what the internet-facing portal must open (the one-time
code's target, the published documents) and opens nothing the master keys sealed.

The intranet seals with it when it publishes; the portal holds only this key. Its ids must
differ from the master key ids, so a value always names the ring that opens it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.crypto.keyring import KeyRing, SealError, is_sealed, key_id_of
from domain.settings import InsecureSettings

DEV_PORTAL_KEY = "portal-dev:cG9ydGFsLWRldi1rZXktbm90LWZvci1jb3VydHMhISE="
NO_INDEX = "the portal ring makes no blind index"


class PortalKeys(BaseSettings):
    """SONGDA_PORTAL_DATA_KEYS (`id:<base64 of 32 bytes>`, the first seals) and where the
    portal's copies of published documents live."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    portal_data_keys: str = Field(default=DEV_PORTAL_KEY, alias="SONGDA_PORTAL_DATA_KEYS")
    crypto_suite: str = Field(default="aes", alias="SONGDA_CRYPTO_SUITE")
    portal_document_dir: Path | None = Field(default=None, alias="SONGDA_PORTAL_DOCUMENT_DIR")
    environment: str = Field(default="", alias="SONGDA_ENV")

    def ring(self) -> KeyRing:
        """Returns the portal's ring; outside development never the development key."""
        if self.environment.strip() != "development":
            weak = [e for e in self.portal_data_keys.split(",") if e.strip() == DEV_PORTAL_KEY]
            if weak or not self.portal_data_keys.strip():
                raise InsecureSettings(
                    "SONGDA_PORTAL_DATA_KEYS is missing or the development key: set the "
                    "portal's own key (`id:` and `openssl rand -base64 32`), or "
                    "SONGDA_ENV=development"
                )
        return portal_ring(self.portal_data_keys, self.crypto_suite)


def portal_ring(spec: str, suite: str = "aes") -> KeyRing:
    """Returns the portal's ring from its key spec."""
    return KeyRing.from_spec(spec, NO_INDEX, suite)


def seal_for_portal(ring: KeyRing, value: str) -> str:
    """Seals a value only the portal's ring opens."""
    return ring.seal(value)


def open_for_portal(ring: KeyRing, sealed: str | None) -> str | None:
    """Opens a value sealed for the portal; None when it is missing or another ring sealed it."""
    if not sealed or not is_sealed(sealed) or key_id_of(sealed) not in ring.keys:
        return None
    try:
        return ring.open(sealed)
    except SealError:
        return None


def portal_document_dir(state_dir: Path, keys: PortalKeys) -> Path:
    """Returns the folder of the portal's document copies (its own volume in deployments)."""
    return keys.portal_document_dir or state_dir / "portal-documents"
