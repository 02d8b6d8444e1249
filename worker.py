"""The Temporal worker: builds the activities with their clients and runs the workflows."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.archive import ArchiveActivities
from activities.archive_callback import HandBackActivities
from activities.calendar import CalendarActivities
from activities.channels.attempts import AttemptLog
from activities.channels.choose import mailer, sms_providers
from activities.channels.electronic import ElectronicActivities
from activities.channels.notice import NoticeActivities
from activities.channels.post import PostActivities
from activities.channels.provider import ProviderClient
from activities.channels.sms.failover import FailoverSms
from activities.deadline import DeadlineActivities
from activities.repair import RepairActivities
from activities.trail import TrailActivities
from activities.work_order_alerts import WorkOrderAlertActivities
from activities.work_orders import WorkOrderActivities
from domain.crypto.sealed_types import install_ring
from domain.logs import configure_logging
from domain.pure.rules import NoticeSettings
from domain.settings import Settings, get_settings
from domain.store.audit_appender import AuditAppender
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from payload_codec import data_converter
from worker_metrics import ObservingInterceptor, make_runtime, tracing_interceptors
from workflows.party import PartyServiceWorkflow
from workflows.request import ServiceRequestWorkflow
from workflows.sandbox import WORKFLOW_RUNNER

log = structlog.get_logger("songda.worker")


def build_activities(
    settings: Settings, http: httpx.Client, sessions: sessionmaker[Session], sms: FailoverSms
) -> list[Callable[..., Any]]:
    """Returns every activity, bound to its clients."""
    base = settings.effective_sandbox_url

    def provider(name: str) -> ProviderClient:
        return ProviderClient(http, AttemptLog(sessions, name), base)

    periods = NoticeSettings(
        settings.public_notice_days,
        settings.public_notice_abroad_days,
        settings.public_notice_hmt_months,
        settings.public_notice_roll,
    )
    deadline = DeadlineActivities(sessions, sms, settings)
    alerts = WorkOrderAlertActivities(sessions, sms, settings)
    trail = TrailActivities(sessions, settings.key_ring, periods, deadline.facts, alerts.policy())
    orders = WorkOrderActivities(sessions, settings.key_ring)
    electronic = ElectronicActivities(sms, mailer(settings), settings, sessions)
    post = PostActivities(provider("sandbox-post"), sessions)
    notice = NoticeActivities(provider("sandbox-notice"), sessions)
    repair = RepairActivities(http, sessions, settings.key_ring, base)
    archive = ArchiveActivities(sessions, DocumentStore(settings.document_dir), settings)
    hand_back = HandBackActivities(sessions, http, sms, settings)
    calendar = CalendarActivities(sessions)
    return [
        trail.plan_service,
        trail.record_progress,
        trail.record_request_outcome,
        trail.load_contacts,
        orders.open_work_order,
        orders.close_work_order,
        alerts.work_order_policy,
        alerts.remind_work_order,
        alerts.escalate_work_order,
        electronic.send_sms,
        electronic.send_email,
        post.send_letter,
        post.track_letter,
        notice.publish_notice,
        repair.repair_numbers,
        archive.build_archive,
        hand_back.deliver_callback,
        hand_back.notify_judge,
        deadline.assess_deadline,
        deadline.warn_deadline_risk,
        calendar.load_calendar_years,
    ]


async def run_worker(settings: Settings) -> None:
    """Connects to Temporal and polls the task queue until SIGTERM or SIGINT."""
    client = await Client.connect(
        settings.effective_temporal_address,
        namespace=settings.temporal_namespace,
        runtime=make_runtime(settings),
        interceptors=tracing_interceptors(settings),
        data_converter=data_converter(settings.key_ring),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    # The trail's audit entries commit to the outbox; the appender chains them in batches.
    with (
        httpx.Client(timeout=10.0) as http,
        ThreadPoolExecutor(max_workers=32) as executor,
        AuditAppender(engine),
    ):
        sms = sms_providers(settings, http, sessions)
        try:
            worker = Worker(
                client,
                task_queue=settings.task_queue,
                workflows=[ServiceRequestWorkflow, PartyServiceWorkflow],
                workflow_runner=WORKFLOW_RUNNER,
                activities=build_activities(settings, http, sessions, sms),
                activity_executor=executor,
                interceptors=[ObservingInterceptor()],
                max_concurrent_activities=32,
                max_cached_workflows=settings.worker_cached_workflows,
                graceful_shutdown_timeout=timedelta(seconds=10),
            )
            async with worker:
                log.info("worker started", task_queue=settings.task_queue)
                await stop.wait()
                log.info("worker stopping")
        finally:
            # Unbinds SMPP and forwards the receipts still queued before the process ends.
            sms.close()


def main() -> None:
    """Runs the worker with the process's settings."""
    settings = get_settings()
    configure_logging(settings.log_level)
    install_ring(settings.key_ring)
    asyncio.run(run_worker(settings))


if __name__ == "__main__":
    main()
