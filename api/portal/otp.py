"""One-time codes: made with `secrets`, kept only as a keyed hash, sent through the gateway."""

from __future__ import annotations

import secrets

import httpx
import structlog

from api.portal.settings import PortalSettings
from domain.crypto.keyring import KeyRing
from domain.crypto.portal_keys import open_for_portal
from domain.pure.masking import mask_email, mask_phone
from domain.pure.texts import ANTI_FRAUD
from domain.store.portal import identity_hmac
from domain.tables.core import PortalPublication

CODE_DIGITS = 6
REAL_SECONDS_PER_DAY = 86400.0

log = structlog.get_logger(__name__)


def new_code() -> str:
    """Returns a fresh 6-digit one-time code."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hmac(secret: str, publication_id: str, code: str) -> str:
    """Returns the keyed hash a code is kept as, bound to its publication."""
    return identity_hmac(secret, f"otp:{publication_id}:{code.strip()}")


def code_text(court_name: str, code: str) -> str:
    """Returns the code message: signature, code, validity and the anti-fraud line; no link."""
    return (
        f"【{court_name}】验证码 {code}，10分钟内有效，仅用于查阅本院送达的文书，"
        f"请勿告知他人。{ANTI_FRAUD}"
    )


def target_of(publication: PortalPublication, ring: KeyRing) -> str | None:
    """Returns where codes go, opened with the portal's key; None when it cannot open it."""
    return open_for_portal(ring, publication.otp_target)


def masked_target(publication: PortalPublication, ring: KeyRing) -> str:
    """Returns where codes go, masked for the page."""
    target = target_of(publication, ring) or ""
    return mask_email(target) if publication.otp_channel == "email" else mask_phone(target)


class CodeSender:
    """Sends codes to the channel that carried the link (the SMS gateway or e-mail)."""

    def __init__(self, http: httpx.Client, settings: PortalSettings) -> None:
        self.http = http
        self.ring = settings.portal_ring
        # Codes go through the court's HTTP SMS gateway when one is configured, else the sandbox.
        self.base = (settings.sms_http_url or settings.effective_sandbox_url).rstrip("/")

    def send(self, publication: PortalPublication, code: str, reference: str) -> bool:
        """Sends one code; False when the gateway refused or could not be reached."""
        text = code_text(publication.court_name, code)
        target = target_of(publication, self.ring) or ""
        if publication.otp_channel == "email":
            path = "/gateway/email"
            body: dict[str, object] = {"to": target, "subject": f"{publication.court_name}验证码"}
            body["text"] = text
        else:
            path = "/gateway/sms"
            body = {"to": target, "text": text, "flash": False}
        body |= {"reference": reference, "seconds_per_day": REAL_SECONDS_PER_DAY}
        try:
            response = self.http.post(f"{self.base}{path}", json=body)
        except httpx.HTTPError as error:
            log.warning(
                "portal.code_send_failed",
                target=masked_target(publication, self.ring),
                error=type(error).__name__,
            )
            return False
        if not response.is_success:
            log.warning(
                "portal.code_send_refused",
                target=masked_target(publication, self.ring),
                status=response.status_code,
            )
            return False
        log.info(
            "portal.code_sent",
            channel=publication.otp_channel,
            target=masked_target(publication, self.ring),
        )
        return True
