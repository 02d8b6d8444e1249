"""SmtpMailer against a real aiosmtpd server: the message, auth, STARTTLS and the errors."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from email.headerregistry import Address
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from activities.channels.email_smtp import SmtpMailer, already_sent, message_id_for
from activities.channels.sms.base import ProviderRejected, ProviderUnavailable
from domain.settings import Settings
from domain.tables.core import Attempt, Base
from tests.sandbox.support import free_port
from tests.smtp.support import PASSWORD, USER, Certificate, Inbox, authenticator, smtp_server

COURT = "天津市河西区人民法院"
SUBJECT = f"{COURT}送达通知：（2026）津0103民初1234号"
TEXT = "张*，您好：\n\n向您送达《传票》。\n请通过以下链接查阅并签收：http://127.0.0.1:8001/s/abc\n"
TO = "zhangsan@example.com"
SENDER = "songda@court.example"


def mailer(port: int, **options: object) -> SmtpMailer:
    """Returns a mailer to 127.0.0.1:port with short timeouts."""
    return SmtpMailer(
        host="127.0.0.1",
        port=port,
        sender=SENDER,
        timeout=5.0,
        local_hostname="localhost",
        **options,  # type: ignore[arg-type]
    )


def test_message_carries_subject_reference_and_deterministic_id(
    inbox: Inbox, plain_port: int
) -> None:
    sent = mailer(plain_port).send(
        TO, SUBJECT, TEXT, "t1:electronic:1:email0submitted", 2, court_name=COURT
    )
    expected = hashlib.sha256(b"t1:electronic:1:email0submitted").hexdigest()[:32]
    assert sent == f"<{expected}@songda>" == message_id_for("t1:electronic:1:email0submitted")
    (received,) = inbox.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == [TO]
    message = received.message
    assert message["Subject"] == SUBJECT
    assert message["Message-ID"] == sent
    assert message["X-Songda-Reference"] == "t1:electronic:1:email0submitted"
    assert message["X-Songda-Seconds-Per-Day"] == "2.0"
    assert message["To"] == TO
    (sender,) = message["From"].addresses
    assert sender == Address(COURT, addr_spec=SENDER)
    assert message["Date"].datetime.tzinfo is not None
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content() == TEXT


def test_the_same_reference_gives_the_same_message_id(inbox: Inbox, plain_port: int) -> None:
    first = mailer(plain_port).send(TO, SUBJECT, TEXT, "ref-same")
    second = mailer(plain_port).send(TO, SUBJECT, TEXT, "ref-same")
    assert first == second
    assert [r.message["Message-ID"] for r in inbox.received] == [first, first]
    # Without a court name the sender stands alone; without a pace no pace header.
    assert inbox.received[0].message["From"] == SENDER
    assert "X-Songda-Seconds-Per-Day" not in inbox.received[0].message


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_is_accepted_and_a_wrong_password_is_an_error(inbox: Inbox) -> None:
    with smtp_server(
        inbox, authenticator=authenticator, auth_required=True, auth_require_tls=False
    ) as port:
        mailer(port, user=USER, password=PASSWORD).send(TO, SUBJECT, TEXT, "auth-ok")
        with pytest.raises(ProviderUnavailable, match="SONGDA_SMTP_PASSWORD"):
            mailer(port, user=USER, password="wrong").send(TO, SUBJECT, TEXT, "auth-bad")
        with pytest.raises(ProviderUnavailable, match="ASCII"):
            mailer(port, user=USER, password="密码").send(TO, SUBJECT, TEXT, "auth-non-ascii")
        with pytest.raises(ProviderUnavailable):
            mailer(port).send(TO, SUBJECT, TEXT, "auth-missing")
    assert [r.message["X-Songda-Reference"] for r in inbox.received] == ["auth-ok"]


@pytest.fixture
def tls_port(inbox: Inbox, certificate: Certificate) -> Iterator[int]:
    """A server that requires STARTTLS, and AUTH over it."""
    with smtp_server(
        inbox,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    ) as port:
        yield port


def test_starttls_then_login(inbox: Inbox, tls_port: int, certificate: Certificate) -> None:
    secure = mailer(tls_port, starttls=True, ca_file=certificate.cert, user=USER, password=PASSWORD)
    secure.send(TO, SUBJECT, TEXT, "tls-ok")
    assert [r.message["X-Songda-Reference"] for r in inbox.received] == ["tls-ok"]
    assert inbox.received[0].message.get_content() == TEXT


def test_starttls_failures_are_retryable(tls_port: int) -> None:
    # The server insists on STARTTLS: a plain session is refused at MAIL FROM.
    with pytest.raises(ProviderUnavailable):
        mailer(tls_port, user=USER, password=PASSWORD).send(TO, SUBJECT, TEXT, "no-tls")
    # The system's authorities do not know the self-signed certificate: the handshake fails.
    with pytest.raises(ProviderUnavailable, match="SSLCertVerificationError"):
        mailer(tls_port, starttls=True).send(TO, SUBJECT, TEXT, "bad-ca")


def test_starttls_to_a_server_without_it_is_retryable(plain_port: int) -> None:
    with pytest.raises(ProviderUnavailable, match="SONGDA_SMTP_STARTTLS"):
        mailer(plain_port, starttls=True).send(TO, SUBJECT, TEXT, "no-starttls")


def test_connection_refused_is_retryable() -> None:
    with pytest.raises(ProviderUnavailable, match="unreachable"):
        mailer(free_port()).send(TO, SUBJECT, TEXT, "refused")


def test_a_silent_server_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # the kernel completes the handshake; nobody ever greets
        quick = SmtpMailer(
            host="127.0.0.1", port=silent.getsockname()[1], sender=SENDER, timeout=0.3
        )
        with pytest.raises(ProviderUnavailable, match="unreachable"):
            quick.send(TO, SUBJECT, TEXT, "silent")


def test_recipient_refusals_map_to_the_retry_rule(inbox: Inbox, plain_port: int) -> None:
    inbox.refuse["gone@example.com"] = "550 5.1.1 mailbox unavailable"
    inbox.refuse["busy@example.com"] = "450 4.2.1 mailbox busy"
    with pytest.raises(ProviderRejected, match="550"):
        mailer(plain_port).send("gone@example.com", SUBJECT, TEXT, "rcpt-550")
    with pytest.raises(ProviderUnavailable, match="450"):
        mailer(plain_port).send("busy@example.com", SUBJECT, TEXT, "rcpt-450")
    inbox.data_answer = "554 5.7.1 message refused"
    with pytest.raises(ProviderRejected, match="554"):
        mailer(plain_port).send(TO, SUBJECT, TEXT, "data-554")
    assert inbox.received == []


def test_a_malformed_address_is_refused_without_echoing_it(plain_port: int) -> None:
    with pytest.raises(ProviderRejected) as refused:
        mailer(plain_port).send("a@b.example\r\nBcc: x@y.example", SUBJECT, TEXT, "inject")
    assert "b.example" not in str(refused.value)


def test_from_settings_reads_the_smtp_settings(tmp_path: Path) -> None:
    settings = Settings(
        SONGDA_SMTP_HOST="mail.court.example",
        SONGDA_SMTP_PORT=587,
        SONGDA_SMTP_STARTTLS=True,
        SONGDA_SMTP_USER="u",
        SONGDA_SMTP_PASSWORD="p",
        SONGDA_SMTP_SENDER="songda@tj.court.example",
    )
    built = SmtpMailer.from_settings(settings, ca_file=tmp_path / "ca.pem")
    assert (built.host, built.port, built.starttls) == ("mail.court.example", 587, True)
    assert (built.user, built.password, built.sender) == ("u", "p", "songda@tj.court.example")
    assert built.ca_file == tmp_path / "ca.pem"


def test_already_sent_looks_at_the_attempt() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        common = {"task_id": "t", "step": "electronic", "channel": "email", "target_label": "x"}
        session.add(Attempt(idempotency_key="new", provider="smtp", **common))
        session.add(
            Attempt(
                idempotency_key="done", provider="smtp", provider_reference="<m@songda>", **common
            )
        )
        session.commit()
        assert already_sent(session, "done")
        assert not already_sent(session, "new")
        assert not already_sent(session, "unknown")
