"""Builds the configured providers: SMS in order of preference with failover, and the mailer."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.email_smtp import SmtpMailer
from activities.channels.mailers import Mailer
from activities.channels.sms.base import SmsProvider
from activities.channels.sms.failover import FailoverSms
from activities.channels.sms.http_gateway import HttpSmsGateway
from activities.channels.sms.smpp import SmppProvider
from domain.settings import Settings

SMS_KINDS = ("sandbox", "http", "smpp")


def sms_providers(
    settings: Settings, http: httpx.Client, sessions: sessionmaker[Session]
) -> FailoverSms:
    """Returns the SMS providers named in SONGDA_SMS_PROVIDERS, first preferred."""
    names = [n.strip() for n in settings.sms_providers.split(",") if n.strip()]
    unknown = [n for n in names if n not in SMS_KINDS]
    if unknown or not names:
        raise ValueError(f"SONGDA_SMS_PROVIDERS: use some of {', '.join(SMS_KINDS)}")
    return FailoverSms([_sms_provider(n, settings, http, sessions) for n in names])


def _sms_provider(
    name: str, settings: Settings, http: httpx.Client, sessions: sessionmaker[Session]
) -> SmsProvider:
    if name == "smpp":
        return SmppProvider.from_settings(settings, sessions)
    if name == "http":
        if not settings.sms_http_url:
            raise ValueError("SONGDA_SMS_HTTP_URL is needed for the http SMS provider")
        return HttpSmsGateway(
            "http-sms", http, settings.sms_http_url, settings.sms_signature, sessions
        )
    return HttpSmsGateway(
        "sandbox-sms", http, settings.effective_sandbox_url, settings.sms_signature, sessions
    )


def mailer(settings: Settings) -> Mailer:
    """Returns the SMTP mailer (the sandbox runs an SMTP server under `make run`)."""
    return SmtpMailer.from_settings(settings)
