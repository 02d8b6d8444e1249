"""Court special post (法院专递): a tracked letter per address."""

from __future__ import annotations

import structlog
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.context import load_delivery
from activities.channels.provider import ProviderClient
from domain.pure.activity_io import SendInput, SendResult, TrackInput, TrackResult
from domain.pure.ladder import ProviderEvent
from domain.pure.masking import mask_name
from domain.pure.postal import UnknownTrackingStatus, map_tracking

log = structlog.get_logger(__name__)


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

    @activity.defn
    def track_letter(self, arg: TrackInput) -> TrackResult:
        """Polls the waybill's tracking; unknown statuses are skipped and logged."""
        answer = self.post.get(f"/post/waybills/{arg.waybill}")
        events = []
        for raw in answer.get("events", []):
            detail = {str(k): str(v) for k, v in (raw.get("detail") or {}).items()}
            try:
                tracking = map_tracking(
                    str(raw.get("kind") or raw.get("status")), detail.get("reason", "")
                )
            except UnknownTrackingStatus:
                log.warning("post.unknown_status", waybill=arg.waybill)
                continue
            if tracking.reason:
                detail["reason"] = tracking.reason
            events.append(
                ProviderEvent(
                    arg.reference,
                    tracking.kind,
                    str(raw["occurred_at"]),
                    {**detail, "source": "polling"},
                )
            )
        return TrackResult(events)
