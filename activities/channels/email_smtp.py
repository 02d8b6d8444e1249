"""Service e-mail over SMTP: one UTF-8 text message per attempt, with a deterministic Message-ID."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.channels.sms.base import ProviderRejected, ProviderUnavailable
from domain.settings import Settings
from domain.tables.core import Attempt

PROVIDER_SMTP = "smtp"
REFERENCE_HEADER = "X-Songda-Reference"
SECONDS_PER_DAY_HEADER = "X-Songda-Seconds-Per-Day"
DEFAULT_TIMEOUT_SECONDS = 30.0


def message_id_for(reference: str) -> str:
    """Returns the Message-ID of an attempt's e-mail, the same on every retry."""
    return f"<{hashlib.sha256(reference.encode()).hexdigest()[:32]}@songda>"


def already_sent(session: Session, reference: str) -> bool:
    """Tells whether the attempt with this idempotency key was already accepted by a server."""
    query = select(Attempt.provider_reference).where(Attempt.idempotency_key == reference)
    return session.scalar(query) is not None


def _status_error(code: int, what: str) -> Exception:
    """Maps an SMTP reply code to the retry rule: 5xx fails for good, anything else retries."""
    if code >= 500:
        return ProviderRejected(f"the mail server refused {what} ({code})")
    return ProviderUnavailable(f"the mail server deferred {what} ({code}): try again later")


class SmtpMailer:
    """Sends service e-mails through one SMTP server (STARTTLS and login when configured)."""

    name = PROVIDER_SMTP

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        starttls: bool = False,
        user: str = "",
        password: str = "",
        ca_file: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        local_hostname: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.starttls = starttls
        self.user = user
        self.password = password
        self.ca_file = ca_file
        self.timeout = timeout
        self.local_hostname = local_hostname

    @classmethod
    def from_settings(cls, settings: Settings, *, ca_file: Path | None = None) -> SmtpMailer:
        """Returns the mailer the SONGDA_SMTP_* settings describe."""
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            starttls=settings.smtp_starttls,
            user=settings.smtp_user,
            password=settings.smtp_password,
            ca_file=ca_file,
        )

    def message(
        self,
        to: str,
        subject: str,
        text: str,
        reference: str,
        seconds_per_day: float | None = None,
        *,
        court_name: str = "",
    ) -> EmailMessage:
        """Builds the MIME message of one attempt (raises ProviderRejected for a bad address)."""
        message = EmailMessage()
        try:
            message["From"] = (
                Address(court_name, addr_spec=self.sender) if court_name else self.sender
            )
            message["To"] = to
            message["Subject"] = subject
        except (ValueError, IndexError) as error:
            # The header parser names the bad value; the message must not echo the address.
            raise ProviderRejected("the e-mail address or sender is malformed") from error
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = message_id_for(reference)
        message[REFERENCE_HEADER] = reference
        if seconds_per_day is not None:
            message[SECONDS_PER_DAY_HEADER] = repr(float(seconds_per_day))
        # base64 keeps the Chinese text 7-bit clean for relays without 8BITMIME.
        message.set_content(text, subtype="plain", charset="utf-8", cte="base64")
        return message

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        reference: str,
        seconds_per_day: float | None = None,
        *,
        court_name: str = "",
    ) -> str:
        """Sends one e-mail and returns its Message-ID; raises ProviderUnavailable/Rejected."""
        message = self.message(to, subject, text, reference, seconds_per_day, court_name=court_name)
        try:
            with self._connect() as smtp:
                smtp.send_message(message, from_addr=self.sender, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _status_error(max(codes, default=550), "the recipient") from None
        except smtplib.SMTPAuthenticationError as error:
            raise ProviderUnavailable(
                f"the mail server refused the login ({error.smtp_code}): "
                "check SONGDA_SMTP_USER and SONGDA_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise ProviderUnavailable(
                "the mail server lacks an extension this send needs (STARTTLS, AUTH or "
                "SMTPUTF8): check SONGDA_SMTP_STARTTLS and SONGDA_SMTP_USER"
            ) from None
        except smtplib.SMTPDataError as error:
            raise _status_error(error.smtp_code, "the message") from None
        except smtplib.SMTPResponseException as error:
            # Greeting, HELO and MAIL FROM refusals are the server's or our set-up's, not the
            # party's address: retry, and ops sees the step stuck.
            raise ProviderUnavailable(
                f"the mail server answered {error.smtp_code}: check its settings"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise ProviderUnavailable(
                f"the mail server {self.host}:{self.port} is unreachable ({type(error).__name__})"
            ) from None
        return message_id_for(reference)

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(
            self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
        )
        try:
            if self.starttls:
                context = ssl.create_default_context(
                    cafile=str(self.ca_file) if self.ca_file else None
                )
                smtp.starttls(context=context)
            if self.user:
                self._login(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.login(self.user, self.password)
        except UnicodeEncodeError:
            # smtplib sends credentials as ASCII only.
            raise ProviderUnavailable(
                "SONGDA_SMTP_USER and SONGDA_SMTP_PASSWORD must be ASCII for the SMTP login"
            ) from None
