"""Court special post (法院专递): a tracked letter per address."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.context import load_delivery
from activities.channels.provider import ProviderClient
from domain.activity_io import SendInput, SendResult
from domain.masking import mask_name


class PostActivities:
    """Creates waybills; tracking comes back as provider events."""

    def __init__(self, post: ProviderClient, session_factory: sessionmaker[Session]) -> None:
        self.post = post
        self.session_factory = session_factory

    @activity.defn
    def send_letter(self, arg: SendInput) -> SendResult:
        """Creates a waybill for the documents to one address."""
        with self.session_factory() as session:
            delivery = load_delivery(session, arg)
        self.post.begin(arg, "post")
        body = {
            "address": delivery.to,
            "postcode": delivery.postcode,
            "recipient": mask_name(delivery.text.party_name),
            "documents": list(delivery.text.document_titles),
            "reference": arg.reference,
            "seconds_per_day": arg.seconds_per_day,
        }
        waybill = self.post.post("/post/waybills", body, arg.reference, "waybill")
        return SendResult(arg.reference, waybill)
