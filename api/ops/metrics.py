"""Prometheus metrics of the API: songda's figures, computed from the database at scrape time.

Gauges are read fresh on every scrape with grouped counts that the 0009 indexes answer, so the
API keeps no state that a restart would lose and several API replicas report the same figures.
Sends count the last hour only: a window keeps the query cheap at ten million attempts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from domain.tables.core import Attempt, ServiceTask, WorkOrder, utcnow

log = structlog.get_logger(__name__)
router = APIRouter(tags=["health"])


def _tasks(session: Session) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "songda_tasks", "service tasks by status and current step", labels=["status", "step"]
    )
    query = select(ServiceTask.status, ServiceTask.step, func.count()).group_by(
        ServiceTask.status, ServiceTask.step
    )
    for status, step, count in session.execute(query):
        family.add_metric([status, step or ""], count)
    return family


def _sends(session: Session) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "songda_sends_last_hour",
        "sends started in the last hour, by channel, provider and result",
        labels=["channel", "provider", "result"],
    )
    since = utcnow() - timedelta(hours=1)
    query = (
        select(Attempt.channel, Attempt.provider, Attempt.status, func.count())
        .where(Attempt.created_at >= since)
        .group_by(Attempt.channel, Attempt.provider, Attempt.status)
    )
    for channel, provider, status, count in session.execute(query):
        family.add_metric([channel, provider, status], count)
    return family


def _work_orders(session: Session) -> list[GaugeMetricFamily]:
    now = utcnow()
    open_orders = GaugeMetricFamily(
        "songda_work_orders_open", "open work orders by kind", labels=["kind"]
    )
    overdue = GaugeMetricFamily(
        "songda_work_orders_overdue", "open work orders past their due time", labels=["kind"]
    )
    query = (
        select(WorkOrder.kind, func.count(), func.count().filter(WorkOrder.due_at < now))
        .where(WorkOrder.status == "open")
        .group_by(WorkOrder.kind)
    )
    for kind, count, late in session.execute(query):
        open_orders.add_metric([kind], count)
        overdue.add_metric([kind], late)
    return [open_orders, overdue]


class DatabaseCollector(Collector):
    """Collects songda's gauges from the database on each scrape."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def collect(self) -> Iterable[Metric]:
        """Yields tasks, sends and work-order gauges, and whether the database answered."""
        up = GaugeMetricFamily("songda_database_up", "1 when the metrics query succeeded")
        try:
            with self.factory() as session:
                families = [_tasks(session), _sends(session), *_work_orders(session)]
        except Exception as exc:
            log.warning("metrics.database_failed", error=type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def render(factory: sessionmaker[Session]) -> bytes:
    """Returns the metrics in the Prometheus text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(factory))
    return generate_latest(registry)


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Serves Prometheus text: tasks by status and step, sends, work orders open and overdue."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    body = await run_in_threadpool(render, factory)
    return Response(content=body, media_type=CONTENT_TYPE_LATEST)
