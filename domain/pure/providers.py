"""Who may post which webhook: each provider's channel and the event kinds it can know.

A provider reports only what it can see: an SMS gateway whether a handset took the message,
the post office where a letter is, a mail server whether it bounced. What a party does with a
link (opened, viewed, confirmed) is known only to the portal, whose receipts reach the
workflows through the exchange table, never through a webhook (issue 13, item 2).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.pure.postal import IN_TRANSIT, REFUSED, RETURNED, SIGNED

SMS, EMAIL, POST = "sms", "email", "post"

# What the ladder reads from each channel (domain.pure.served_on, domain.pure.postal).
CHANNEL_KINDS: dict[str, frozenset[str]] = {
    SMS: frozenset({"delivered", "undeliverable"}),
    EMAIL: frozenset({"delivered", "bounced"}),
    POST: frozenset({IN_TRANSIT, SIGNED, REFUSED, RETURNED}),
}
# Kinds that only the portal's receipts carry: a webhook naming one is refused.
PORTAL_KINDS = frozenset({"opened", "identity_passed", "viewed", "downloaded", "confirmed"})


@dataclass(frozen=True)
class WebhookProvider:
    """A provider that posts events to /v1/providers/{name}/events."""

    name: str
    channel: str

    @property
    def kinds(self) -> frozenset[str]:
        """Returns the event kinds this provider may report."""
        return CHANNEL_KINDS[self.channel]


# The names are the path segment and the `provider` recorded on each attempt it answers.
PROVIDERS: dict[str, WebhookProvider] = {
    p.name: p
    for p in (
        WebhookProvider("sandbox-sms", SMS),
        WebhookProvider("http-sms", SMS),
        WebhookProvider("smpp", SMS),
        WebhookProvider("smtp", EMAIL),
        WebhookProvider("sandbox-email", EMAIL),
        WebhookProvider("sandbox-post", POST),
    )
}
# SONGDA_SMS_PROVIDERS names -> the provider that posts their receipts.
SMS_WEBHOOKS = {"sandbox": "sandbox-sms", "http": "http-sms", "smpp": "smpp"}


def webhooks_in_use(sms_providers: str) -> tuple[str, ...]:
    """Returns the providers whose webhooks this configuration receives (each needs a secret)."""
    names = [n.strip() for n in sms_providers.split(",") if n.strip()]
    sms = [SMS_WEBHOOKS[n] for n in names if n in SMS_WEBHOOKS]
    return (*dict.fromkeys(sms), "smtp", "sandbox-post")


def parse_secrets(spec: str) -> dict[str, str]:
    """Reads `name=secret,name=secret` (SONGDA_PROVIDER_SECRETS); blank entries are skipped."""
    secrets: dict[str, str] = {}
    for entry in spec.split(","):
        name, _, secret = entry.strip().partition("=")
        if name.strip():
            secrets[name.strip()] = secret.strip()
    return secrets
