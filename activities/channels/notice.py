"""Public notice (公告送达) through the notice-board adapter."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.context import load_delivery
from activities.channels.provider import ProviderClient
from domain.pure.activity_io import SendInput, SendResult
from domain.pure.texts import notice_text


class NoticeActivities:
    """Publishes notices; the legal period runs in the workflow on the plan's clock."""

    def __init__(self, board: ProviderClient, session_factory: sessionmaker[Session]) -> None:
        self.board = board
        self.session_factory = session_factory

    @activity.defn
    def publish_notice(self, arg: SendInput) -> SendResult:
        """Publishes the notice text prescribed by CPL 95 / Interp. 139."""
        with self.session_factory() as session:
            delivery = load_delivery(session, arg)
        self.board.begin(arg, "notice")
        body = {
            "court": delivery.text.court_name,
            "case_number": delivery.text.case_number,
            "text": notice_text(delivery.text, arg.notice_days),
            "reference": arg.reference,
        }
        notice_id = self.board.post("/notices", body, arg.reference, "notice_id")
        return SendResult(arg.reference, notice_id)
