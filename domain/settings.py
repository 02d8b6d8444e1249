"""One settings object, read from the environment (and an optional .env)."""

from __future__ import annotations

import base64
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.crypto.keyring import KeyRing
from domain.pure.providers import PROVIDERS, parse_secrets, webhooks_in_use

MIB = 1024 * 1024
DEV_DATA_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItY291cnRzISE="
DEV_PROVIDER_SECRETS = ",".join(f"{name}=songda-dev-{name}-secret" for name in PROVIDERS)
# Every secret and key (their environment variables); SONGDA_DATA_KEYS and
# SONGDA_PROVIDER_SECRETS are lists, checked entry by entry.
SECRET_FIELDS = {
    "portal_secret": "SONGDA_PORTAL_SECRET",
    "callback_secret": "SONGDA_CALLBACK_SECRET",
    "index_key": "SONGDA_INDEX_KEY",
}
# Values published in this repository (defaults, examples, test fixtures): never in production.
DEVELOPMENT_VALUES = frozenset(
    {
        "songda-dev-portal-secret", "songda-dev-callback-secret", "songda-dev-index-key",
        "songda-dev-provider-secret", "test-secret", "songda", DEV_DATA_KEY,
        *parse_secrets(DEV_PROVIDER_SECRETS).values(),
    }
)  # fmt: skip
# The portal's database role (migrations 0002, 0013): reads publications, writes receipts.
PORTAL_ROLE = "songda_portal"
PLACEHOLDERS = (
    "change-me", "changeme", "change_me", "replace", "placeholder", "example", "<", "${",
)  # fmt: skip
MIN_SECRET_CHARS = 16


class InsecureSettings(SystemExit):
    """A secret or key is missing, a development value or a placeholder outside development."""


def weakness(value: str) -> str | None:
    """Returns why a secret cannot be used in production, or None when it can."""
    value = value.strip()
    if not value:
        return "missing"
    if value in DEVELOPMENT_VALUES or value.startswith("songda-dev-"):
        return "a development value published in the repository"
    if any(mark in value.lower() for mark in PLACEHOLDERS):
        return "a placeholder"
    if len(value) < MIN_SECRET_CHARS:
        return f"shorter than {MIN_SECRET_CHARS} characters"
    return None


def data_key_problems(spec: str) -> list[str]:
    """Returns what is wrong with SONGDA_DATA_KEYS (`id:<base64 of 32 bytes>`, comma-separated)."""
    entries = [entry.strip() for entry in spec.split(",") if entry.strip()]
    if not entries:
        return ["SONGDA_DATA_KEYS is missing"]
    problems = []
    for entry in entries:
        key_id, _, material = entry.partition(":")
        why = "the development key" if material.strip() == DEV_DATA_KEY else weakness(material)
        if why is None and len(_base64(material)) != 32:
            why = "not the base64 of 32 bytes"
        if why is not None:
            problems.append(f"SONGDA_DATA_KEYS: key {key_id.strip()!r} is {why}")
    return problems


def _base64(value: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except ValueError:
        return b""


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
    # The API and the portal listen on loopback unless a deployment says otherwise (containers).
    bind_host: str = Field(default="127.0.0.1", alias="SONGDA_BIND_HOST")
    temporal_namespace: str = Field(default="default", alias="SONGDA_TEMPORAL_NAMESPACE")
    task_queue: str = Field(default="songda", alias="SONGDA_TASK_QUEUE")
    # Accelerated clocks compress legal days into seconds: only for demos and tests.
    allow_accelerated_clock: bool = Field(default=False, alias="SONGDA_ALLOW_ACCELERATED_CLOCK")
    # Where the outside world lives; the sandbox by default.
    sandbox_url: str = Field(default="", alias="SONGDA_SANDBOX_URL")
    api_url: str = Field(default="", alias="SONGDA_API_URL")
    # Development mode is explicit: anything else refuses development secrets (require_secrets).
    environment: str = Field(default="", alias="SONGDA_ENV")
    # Each provider's own webhook secret, `name=secret,...` (HMAC-SHA256 over
    # `provider.timestamp.body`); domain/pure/providers.py names the providers.
    provider_secrets: str = Field(default=DEV_PROVIDER_SECRETS, alias="SONGDA_PROVIDER_SECRETS")
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
    data_keys: str = Field(default=f"dev1:{DEV_DATA_KEY}", alias="SONGDA_DATA_KEYS")
    index_key: str = Field(default="songda-dev-index-key", alias="SONGDA_INDEX_KEY")
    # Work orders: remind N workdays before the due time, expire N workdays after it, and let
    # a phone order end unreachable only after N calls in N periods of the day.
    work_order_remind_before_workdays: int = Field(
        default=1, ge=0, alias="SONGDA_WORK_ORDER_REMIND_BEFORE_WORKDAYS"
    )
    work_order_grace_workdays: int = Field(
        default=1, ge=0, alias="SONGDA_WORK_ORDER_GRACE_WORKDAYS"
    )
    call_min_attempts: int = Field(default=3, ge=1, alias="SONGDA_CALL_MIN_ATTEMPTS")
    call_min_periods: int = Field(default=2, ge=1, alias="SONGDA_CALL_MIN_PERIODS")
    # Public notice periods (CPL 95, 283; SPC rules for Hong Kong, Macao and Taiwan) and whether
    # a last day off work rolls to the next workday: settings per DOMAIN.md.
    public_notice_days: int = Field(default=30, ge=1, alias="SONGDA_PUBLIC_NOTICE_DAYS")
    public_notice_abroad_days: int = Field(
        default=60, ge=1, alias="SONGDA_PUBLIC_NOTICE_ABROAD_DAYS"
    )
    public_notice_hmt_months: int = Field(default=3, ge=1, alias="SONGDA_PUBLIC_NOTICE_HMT_MONTHS")
    public_notice_roll: bool = Field(default=True, alias="SONGDA_PUBLIC_NOTICE_ROLL")
    # Service windows' days per rule code (domain/pure/deadlines.py), e.g. "hearing_notice=5";
    # unset ones keep the law's (CPL 128, 139, 151).
    service_window_days: str = Field(default="", alias="SONGDA_SERVICE_WINDOW_DAYS")
    # aes (AES-256-GCM + HMAC-SHA256) or sm4 (SM4-GCM + HMAC-SM3, national cryptography).
    crypto_suite: str = Field(default="aes", alias="SONGDA_CRYPTO_SUITE")
    # The Temporal UI's origin, allowed by CORS to call the API's codec endpoint.
    temporal_ui_url: str = Field(default="", alias="SONGDA_TEMPORAL_UI_URL")
    # The CLI's bearer token; else the token file `make run` leaves in the state folder.
    cli_token: str = Field(default="", alias="SONGDA_TOKEN")
    # A court's own identity provider (OIDC): JWT bearer tokens are accepted only when all
    # three are set; `sub` maps to a user's oidc_subject.
    oidc_issuer: str = Field(default="", alias="SONGDA_OIDC_ISSUER")
    oidc_audience: str = Field(default="", alias="SONGDA_OIDC_AUDIENCE")
    oidc_jwks_url: str = Field(default="", alias="SONGDA_OIDC_JWKS_URL")
    oidc_leeway_seconds: int = Field(default=30, alias="SONGDA_OIDC_LEEWAY_SECONDS")
    # Ops: when a task counts as stuck, where the worker serves metrics, where traces go.
    stuck_activity_attempts: int = Field(default=3, alias="SONGDA_STUCK_ACTIVITY_ATTEMPTS")
    stuck_outage_failures: int = Field(default=3, alias="SONGDA_STUCK_OUTAGE_FAILURES")
    stuck_outage_minutes: int = Field(default=15, alias="SONGDA_STUCK_OUTAGE_MINUTES")
    stuck_wait_margin: float = Field(default=0.5, alias="SONGDA_STUCK_WAIT_MARGIN")
    stuck_describe_limit: int = Field(default=200, alias="SONGDA_STUCK_DESCRIBE_LIMIT")
    worker_metrics_port: int = Field(default=0, alias="SONGDA_WORKER_METRICS_PORT")
    # Workflows a worker keeps in memory between tasks (Temporal's sticky cache); the rest are
    # replayed from history when they wake. It bounds the worker's memory whatever the number
    # of open tasks (docs/benchmarks.md measures about 13 KiB per cached party).
    worker_cached_workflows: int = Field(
        default=10_000, ge=0, alias="SONGDA_WORKER_CACHED_WORKFLOWS"
    )
    otel_endpoint: str = Field(default="", alias="SONGDA_OTEL_ENDPOINT")
    stats_max_age_seconds: float = Field(default=60.0, alias="SONGDA_STATS_MAX_AGE_SECONDS")
    # Console sessions: idle timeout, absolute lifetime, and the cookie's Secure flag (on
    # behind HTTPS in production; off for `make run` on plain http://127.0.0.1).
    session_idle_minutes: int = Field(default=30, alias="SONGDA_SESSION_IDLE_MINUTES")
    session_max_hours: int = Field(default=12, alias="SONGDA_SESSION_MAX_HOURS")
    session_cookie_secure: bool = Field(default=False, alias="SONGDA_SESSION_COOKIE_SECURE")
    # The archive: the TrueType font its PDFs embed (a .ttc picks its first face), the secret
    # that signs callbacks to the case system, and the console base URL the judge's SMS links.
    pdf_font: Path = Field(
        default=Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), alias="SONGDA_PDF_FONT"
    )
    callback_secret: str = Field(
        default="songda-dev-callback-secret", alias="SONGDA_CALLBACK_SECRET"
    )
    console_url: str = Field(default="", alias="SONGDA_CONSOLE_URL")
    # Evidence uploads: size limits per kind (bytes). The virtual phone line (CTI): its base
    # URL (the sandbox's /cti by default), how often ended calls are fetched, and how long a
    # simulated call lasts in the sandbox (ringing, then talking), in real seconds.
    evidence_max_recording_bytes: int = Field(
        default=50 * 1024 * 1024, alias="SONGDA_EVIDENCE_MAX_RECORDING_BYTES"
    )
    evidence_max_photo_bytes: int = Field(
        default=10 * 1024 * 1024, alias="SONGDA_EVIDENCE_MAX_PHOTO_BYTES"
    )
    evidence_max_video_bytes: int = Field(
        default=200 * 1024 * 1024, alias="SONGDA_EVIDENCE_MAX_VIDEO_BYTES"
    )
    evidence_max_receipt_bytes: int = Field(
        default=20 * 1024 * 1024, alias="SONGDA_EVIDENCE_MAX_RECEIPT_BYTES"
    )
    cti_url: str = Field(default="", alias="SONGDA_CTI_URL")
    call_fetch_seconds: float = Field(default=5.0, alias="SONGDA_CALL_FETCH_SECONDS")
    sandbox_call_seconds: float = Field(default=3.0, alias="SONGDA_SANDBOX_CALL_SECONDS")
    # Request bodies, refused with 413 before they are read (api/body_limit.py): submissions
    # (documents in base64), provider webhooks, console and portal forms, any other JSON body.
    max_submission_bytes: int = Field(default=128 * MIB, alias="SONGDA_MAX_SUBMISSION_BYTES")
    max_webhook_bytes: int = Field(default=64 * 1024, alias="SONGDA_MAX_WEBHOOK_BYTES")
    max_form_bytes: int = Field(default=256 * 1024, alias="SONGDA_MAX_FORM_BYTES")
    max_body_bytes: int = Field(default=1 * MIB, alias="SONGDA_MAX_BODY_BYTES")
    # Where each case system may be called back: `account=origin origin,...`; and the private
    # networks (CIDR) a callback may reach outside development (domain/callback_targets.py).
    callback_origins: str = Field(default="", alias="SONGDA_CALLBACK_ORIGINS")
    callback_private_networks: str = Field(default="", alias="SONGDA_CALLBACK_PRIVATE_NETWORKS")

    @property
    def development(self) -> bool:
        """Tells whether development mode was asked for explicitly (SONGDA_ENV=development)."""
        return self.environment.strip() == "development"

    @property
    def provider_secret_map(self) -> dict[str, str]:
        """Returns each provider's webhook secret by provider name."""
        return parse_secrets(self.provider_secrets)

    def secret_problems(self) -> list[str]:
        """Returns what is wrong with the secrets and keys, naming variables, never values."""
        if self.development:
            return []
        problems = [
            f"{alias} is {why}"
            for name, alias in SECRET_FIELDS.items()
            if (why := weakness(str(getattr(self, name)))) is not None
        ]
        problems += data_key_problems(self.data_keys)
        secrets = self.provider_secret_map
        for provider in webhooks_in_use(self.sms_providers):
            if (why := weakness(secrets.get(provider, ""))) is not None:
                problems.append(f"SONGDA_PROVIDER_SECRETS: the secret of {provider} is {why}")
        if "smpp" in self.sms_providers and self.smpp_password in DEVELOPMENT_VALUES | {""}:
            problems.append("SONGDA_SMPP_PASSWORD is missing or a development value")
        return problems

    def require_secrets(self) -> Settings:
        """Returns self, or stops the process naming each missing or development secret."""
        if problems := self.secret_problems():
            raise InsecureSettings(
                "songda refuses to start outside development: " + "; ".join(problems)
                + ". Set real values (README, Settings: `openssl rand -base64 32`), or set "
                "SONGDA_ENV=development on a developer's machine."
            )  # fmt: skip
        return self

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
    def effective_cti_url(self) -> str:
        """Returns the virtual phone line's base URL: SONGDA_CTI_URL, or the sandbox's /cti."""
        return self.cti_url or f"{self.effective_sandbox_url}/cti"

    @property
    def evidence_limits(self) -> dict[str, int]:
        """Returns the size limit of each kind of evidence, in bytes."""
        return {
            "recording": self.evidence_max_recording_bytes,
            "photo": self.evidence_max_photo_bytes,
            "video": self.evidence_max_video_bytes,
            "signed_receipt": self.evidence_max_receipt_bytes,
        }

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
        return as_portal_role(self.effective_database_url)

    @cached_property
    def key_ring(self) -> KeyRing:
        """Returns the data key ring built from SONGDA_DATA_KEYS and SONGDA_INDEX_KEY."""
        return KeyRing.from_spec(self.data_keys, self.index_key, self.crypto_suite)

    @property
    def effective_temporal_ui_url(self) -> str:
        """Returns the Temporal UI's origin (the dev server's UI by default)."""
        return (self.temporal_ui_url or f"http://127.0.0.1:{self.temporal_ui_port}").rstrip("/")

    @property
    def token_file(self) -> Path:
        """Returns where `make run` leaves the demo case system's token."""
        return self.state_dir / "demo-token"

    @property
    def document_dir(self) -> Path:
        """Returns the content-addressed document store's folder."""
        return self.state_dir / "documents"


def as_portal_role(url: str) -> str:
    """Returns a PostgreSQL URL as the portal's own role (songda_portal); SQLite unchanged."""
    if url.startswith("postgresql") and "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{PORTAL_ROLE}@{rest.split('@', 1)[1]}"
    return url


@lru_cache
def get_settings() -> Settings:
    """Returns the process's settings, read once; outside development, real secrets only."""
    return Settings().require_secrets()
