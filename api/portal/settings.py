"""The portal's own settings: only what the internet-facing process needs, and no secret of
the intranet (no master data keys, no callback or provider secrets, no superuser URL)."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.crypto.keyring import KeyRing
from domain.crypto.portal_keys import DEV_PORTAL_KEY, PortalKeys, portal_ring
from domain.settings import InsecureSettings, Settings, as_portal_role, weakness


class PortalSettings(BaseSettings):
    """Every knob of the recipient portal (deploy/portal.env)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = Field(default="", alias="SONGDA_ENV")
    state_dir: Path = Field(default=Path(".songda"), alias="SONGDA_STATE_DIR")
    # Its own role; in development derived from DATABASE_URL's host (never its credentials).
    portal_database_url: str = Field(default="", alias="SONGDA_PORTAL_DATABASE_URL")
    database_url: str = Field(default="", alias="DATABASE_URL")
    portal_secret: str = Field(default="songda-dev-portal-secret", alias="SONGDA_PORTAL_SECRET")
    portal_data_keys: str = Field(default=DEV_PORTAL_KEY, alias="SONGDA_PORTAL_DATA_KEYS")
    portal_document_dir: Path | None = Field(default=None, alias="SONGDA_PORTAL_DOCUMENT_DIR")
    crypto_suite: str = Field(default="aes", alias="SONGDA_CRYPTO_SUITE")
    portal_port: int = Field(default=8001, alias="SONGDA_PORTAL_PORT")
    bind_host: str = Field(default="127.0.0.1", alias="SONGDA_BIND_HOST")
    portal_public_url: str = Field(default="", alias="SONGDA_PORTAL_URL")
    # Where one-time codes go: the court's HTTP SMS gateway, else the sandbox.
    sms_http_url: str = Field(default="", alias="SONGDA_SMS_HTTP_URL")
    sandbox_url: str = Field(default="", alias="SONGDA_SANDBOX_URL")
    sandbox_port: int = Field(default=8002, alias="SONGDA_SANDBOX_PORT")
    max_form_bytes: int = Field(default=256 * 1024, alias="SONGDA_MAX_FORM_BYTES")
    # The reverse proxies whose X-Forwarded-For names the client (comma-separated, or "*").
    trusted_proxies: str = Field(default="127.0.0.1", alias="FORWARDED_ALLOW_IPS")
    log_level: str = Field(default="INFO", alias="SONGDA_LOG_LEVEL")

    @property
    def development(self) -> bool:
        """Tells whether development mode was asked for explicitly (SONGDA_ENV=development)."""
        return self.environment.strip() == "development"

    def secret_problems(self) -> list[str]:
        """Returns what is wrong with the portal's secrets, naming variables, never values."""
        if self.development:
            return []
        problems = []
        if (why := weakness(self.portal_secret)) is not None:
            problems.append(f"SONGDA_PORTAL_SECRET is {why}")
        for entry in filter(None, (e.strip() for e in self.portal_data_keys.split(","))):
            key_id, _, material = entry.partition(":")
            if entry == DEV_PORTAL_KEY or (why := weakness(material)) is not None:
                why = why or "the development key"
                problems.append(f"SONGDA_PORTAL_DATA_KEYS: key {key_id!r} is {why}")
        if not self.portal_database_url:
            problems.append("SONGDA_PORTAL_DATABASE_URL is missing (the portal's own role)")
        return problems

    def require_secrets(self) -> PortalSettings:
        """Returns self, or stops the portal naming each missing or development secret."""
        if problems := self.secret_problems():
            raise InsecureSettings(
                "the portal refuses to start outside development: " + "; ".join(problems)
                + ". Set them in deploy/portal.env, or SONGDA_ENV=development."
            )  # fmt: skip
        return self

    @cached_property
    def portal_ring(self) -> KeyRing:
        """Returns the portal's key ring (it opens nothing the master keys sealed)."""
        return portal_ring(self.portal_data_keys, self.crypto_suite)

    @property
    def document_dir(self) -> Path:
        """Returns the folder of the portal's own document copies."""
        return self.portal_document_dir or self.state_dir / "portal-documents"

    @property
    def effective_portal_url(self) -> str:
        """Returns the portal's public base URL."""
        return self.portal_public_url or f"http://127.0.0.1:{self.portal_port}"

    @property
    def effective_sandbox_url(self) -> str:
        """Returns the sandbox's base URL (codes go there without an SMS gateway)."""
        return self.sandbox_url or f"http://127.0.0.1:{self.sandbox_port}"

    @property
    def effective_portal_database_url(self) -> str:
        """Returns the portal's database URL: its own role on PostgreSQL, else the SQLite file."""
        if self.portal_database_url:
            return self.portal_database_url
        url = self.database_url or f"sqlite:///{(self.state_dir / 'songda.db').resolve()}"
        return as_portal_role(url)


def portal_settings_of(settings: Settings, keys: PortalKeys | None = None) -> PortalSettings:
    """Returns the portal's settings where one environment serves both (make run, tests)."""
    keys = keys or PortalKeys()
    values = {
        "SONGDA_ENV": settings.environment, "SONGDA_STATE_DIR": settings.state_dir,
        "SONGDA_PORTAL_DATABASE_URL": settings.effective_portal_database_url,
        "SONGDA_PORTAL_SECRET": settings.portal_secret,
        "SONGDA_PORTAL_DATA_KEYS": keys.portal_data_keys,
        "SONGDA_PORTAL_DOCUMENT_DIR": keys.portal_document_dir,
        "SONGDA_CRYPTO_SUITE": settings.crypto_suite, "SONGDA_PORTAL_PORT": settings.portal_port,
        "SONGDA_BIND_HOST": settings.bind_host, "SONGDA_PORTAL_URL": settings.portal_public_url,
        "SONGDA_SMS_HTTP_URL": settings.sms_http_url, "SONGDA_SANDBOX_URL": settings.sandbox_url,
        "SONGDA_SANDBOX_PORT": settings.sandbox_port,
        "SONGDA_MAX_FORM_BYTES": settings.max_form_bytes, "SONGDA_LOG_LEVEL": settings.log_level,
    }  # fmt: skip
    return PortalSettings.model_validate({k: v for k, v in values.items() if v is not None})


@lru_cache
def get_portal_settings() -> PortalSettings:
    """Returns the portal process's settings, read once; outside development, real ones only."""
    return PortalSettings().require_secrets()
