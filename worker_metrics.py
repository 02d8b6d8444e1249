"""The worker's telemetry: Temporal runtime metrics, songda's activity metrics, log context, traces.

songda's activity counters and provider latency go through the SDK's own metric meter, so one
Prometheus endpoint per worker (SONGDA_WORKER_METRICS_PORT) carries both the SDK's figures and
songda's, and ops scrape a single target.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog
from temporalio import activity, client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from domain.settings import Settings

# Activities that call a provider: their duration is the provider latency ops watch.
PROVIDER_ACTIVITIES = frozenset(
    {"send_sms", "send_email", "send_letter", "track_letter", "publish_notice", "repair_numbers"}
)

log = structlog.get_logger("songda.worker")


def make_runtime(settings: Settings) -> Runtime | None:
    """Returns a runtime serving Prometheus metrics on the configured port, or None when off."""
    if not settings.worker_metrics_port:
        return None
    address = f"0.0.0.0:{settings.worker_metrics_port}"
    telemetry = TelemetryConfig(metrics=PrometheusConfig(bind_address=address))
    return Runtime(telemetry=telemetry)


def tracing_interceptors(settings: Settings) -> list[client.Interceptor]:
    """Returns the OpenTelemetry tracing interceptor when SONGDA_OTEL_ENDPOINT is set.

    It is a client interceptor that is also a worker interceptor, so the worker built on this
    client traces workflows and activities as well.
    """
    if not settings.otel_endpoint:
        return []
    # Imported only here: the `otel` extra is optional and the default install stays light.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from temporalio.contrib.opentelemetry import TracingInterceptor

    provider = TracerProvider(resource=Resource.create({"service.name": "songda-worker"}))
    exporter = OTLPSpanExporter(endpoint=settings.otel_endpoint)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    # A tracer of our own provider rather than the global one: nothing else in the process
    # (or in a test run) starts exporting because songda was configured to.
    return [TracingInterceptor(provider.get_tracer("songda.worker"))]


def _task_id(args: Any) -> str | None:
    # Every activity takes one dataclass; most carry the task id (STYLE: one dataclass in).
    first = args[0] if args else None
    value = getattr(first, "task_id", None)
    return value if isinstance(value, str) else None


def _record(name: str, outcome: str, started: float) -> None:
    meter = activity.metric_meter()
    attributes = {"activity": name, "outcome": outcome}
    meter.create_counter("songda_activities", "songda activities run, by activity and outcome").add(
        1, attributes
    )
    if name in PROVIDER_ACTIVITIES:
        meter.create_histogram_timedelta(
            "songda_provider_latency", "time a provider call took, by activity and outcome"
        ).record(timedelta(seconds=time.monotonic() - started), attributes)


def _observed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps a sync activity so its thread logs with task and workflow ids and it is counted."""

    def run(*args: Any) -> Any:
        info = activity.info()
        started = time.monotonic()
        context = {
            "workflow_id": info.workflow_id,
            "activity": info.activity_type,
            "attempt": info.attempt,
            "task_id": _task_id(args),
        }
        with structlog.contextvars.bound_contextvars(**context):
            try:
                result = fn(*args)
            except BaseException:
                _record(info.activity_type, "failed", started)
                raise
            _record(info.activity_type, "ok", started)
            return result

    return run


class _ObservingInbound(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        """Runs the activity wrapped with log context and metrics."""
        # Sync activities run in the executor's threads, where contextvars set here would not
        # reach: the wrapper binds them inside the thread instead.
        return await super().execute_activity(dataclasses.replace(input, fn=_observed(input.fn)))


class ObservingInterceptor(Interceptor):
    """Binds task and workflow ids to activity logs and counts activities and provider latency."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        """Wraps the activity inbound chain."""
        return _ObservingInbound(next)
