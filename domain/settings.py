"""One settings object, read from the environment (and an optional .env)."""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.crypto import KeyRing


class Settings(BaseSettings):
    """Every knob of songda; names follow CONTRACT.md's environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    state_dir: Path = Field(default=Path(".songda"), alias="SONGDA_STATE_DIR")
    database_url: str = Field(default="", alias="DATABASE_URL")
    api_port: int = Field(default=8000, alias="SONGDA_API_PORT")
    portal_port: int = Field(default=8001, alias="SONGDA_PORTAL_PORT")
    sandbox_port: int = Field(default=8002, alias="SONGDA_SANDBOX_PORT")
    temporal_port: int = Field(default=7233, alias="SONGDA_TEMPORAL_PORT")
    temporal_ui_port: int = Field(default=8233, alias="SONGDA_TEMPORAL_UI_PORT")
    temporal_address: str = Field(default="", alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field(default="default", alias="SONGDA_TEMPORAL_NAMESPACE")
    task_queue: str = Field(default="songda", alias="SONGDA_TASK_QUEUE")
    # Accelerated clocks compress legal days into seconds: only for demos and tests.
    allow_accelerated_clock: bool = Field(default=False, alias="SONGDA_ALLOW_ACCELERATED_CLOCK")
    # Where the outside world lives; the sandbox by default.
    sandbox_url: str = Field(default="", alias="SONGDA_SANDBOX_URL")
    api_url: str = Field(default="", alias="SONGDA_API_URL")
    # Shared secret of provider webhooks (HMAC-SHA256 over timestamp and body).
    provider_secret: str = Field(
        default="songda-dev-provider-secret", alias="SONGDA_PROVIDER_SECRET"
    )
    provider_event_max_age_seconds: int = Field(default=300, alias="SONGDA_PROVIDER_EVENT_MAX_AGE")
    max_document_bytes: int = Field(default=20 * 1024 * 1024, alias="SONGDA_MAX_DOCUMENT_BYTES")
    log_level: str = Field(default="INFO", alias="SONGDA_LOG_LEVEL")
    # Recipient portal (extranet): its own database role and the secret its links are signed with.
    portal_database_url: str = Field(default="", alias="SONGDA_PORTAL_DATABASE_URL")
    portal_public_url: str = Field(default="", alias="SONGDA_PORTAL_URL")
    portal_secret: str = Field(default="songda-dev-portal-secret", alias="SONGDA_PORTAL_SECRET")
    portal_link_days: int = Field(default=30, alias="SONGDA_PORTAL_LINK_DAYS")
    # SMS: providers in order of preference (sandbox | http | smpp); the next takes over when
    # one keeps failing.
    sms_providers: str = Field(default="sandbox", alias="SONGDA_SMS_PROVIDERS")
    sms_http_url: str = Field(default="", alias="SONGDA_SMS_HTTP_URL")
    sms_signature: str = Field(default="", alias="SONGDA_SMS_SIGNATURE")
    smpp_host: str = Field(default="127.0.0.1", alias="SONGDA_SMPP_HOST")
    smpp_port: int = Field(default=2775, alias="SONGDA_SMPP_PORT")
    smpp_system_id: str = Field(default="songda", alias="SONGDA_SMPP_SYSTEM_ID")
    smpp_password: str = Field(default="songda", alias="SONGDA_SMPP_PASSWORD")
    # E-mail over SMTP; the sandbox runs an SMTP server on this port under `make run`.
    smtp_host: str = Field(default="127.0.0.1", alias="SONGDA_SMTP_HOST")
    smtp_port: int = Field(default=8025, alias="SONGDA_SMTP_PORT")
    smtp_starttls: bool = Field(default=False, alias="SONGDA_SMTP_STARTTLS")
    smtp_user: str = Field(default="", alias="SONGDA_SMTP_USER")
    smtp_password: str = Field(default="", alias="SONGDA_SMTP_PASSWORD")
    smtp_sender: str = Field(default="songda@court.example", alias="SONGDA_SMTP_SENDER")
    # Personal data at rest: data keys `id:<base64 32 bytes>` comma-separated, the first seals;
    # and the key of blind indexes. The defaults are for development only.
    data_keys: str = Field(
        default="dev1:ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItY291cnRzISE=", alias="SONGDA_DATA_KEYS"
    )
    index_key: str = Field(default="songda-dev-index-key", alias="SONGDA_INDEX_KEY")
    # The CLI's bearer token; else the token file `make run` leaves in the state folder.
    cli_token: str = Field(default="", alias="SONGDA_TOKEN")

    @property
    def effective_database_url(self) -> str:
        """Returns DATABASE_URL, or the SQLite file in the state folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.state_dir / 'songda.db').resolve()}"

    @property
    def effective_temporal_address(self) -> str:
        """Returns TEMPORAL_ADDRESS, or the dev server that `make run` starts."""
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    @property
    def effective_sandbox_url(self) -> str:
        """Returns the base URL of the outside world's providers."""
        return self.sandbox_url or f"http://127.0.0.1:{self.sandbox_port}"

    @property
    def effective_api_url(self) -> str:
        """Returns the intranet API's base URL (providers post their events there)."""
        return self.api_url or f"http://127.0.0.1:{self.api_port}"

    @property
    def effective_portal_url(self) -> str:
        """Returns the portal's public base URL (what links in messages point at)."""
        return self.portal_public_url or f"http://127.0.0.1:{self.portal_port}"

    @property
    def effective_portal_database_url(self) -> str:
        """Returns the portal's database URL: its own role on PostgreSQL, else the same file."""
        if self.portal_database_url:
            return self.portal_database_url
        url = self.effective_database_url
        if url.startswith("postgresql") and "@" in url:
            scheme, _, rest = url.partition("://")
            return f"{scheme}://songda_portal@{rest.split('@', 1)[1]}"
        return url

    @cached_property
    def key_ring(self) -> KeyRing:
        """Returns the data key ring built from SONGDA_DATA_KEYS and SONGDA_INDEX_KEY."""
        return KeyRing.from_spec(self.data_keys, self.index_key)

    @property
    def token_file(self) -> Path:
        """Returns where `make run` leaves the demo case system's token."""
        return self.state_dir / "demo-token"

    @property
    def document_dir(self) -> Path:
        """Returns the content-addressed document store's folder."""
        return self.state_dir / "documents"


@lru_cache
def get_settings() -> Settings:
    """Returns the process's settings, read once."""
    return Settings()
