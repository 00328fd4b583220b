"""Prometheus metrics (issue 21, deliverable 3): requests by view, the task queue,
indicator staleness.

Under gunicorn each worker process counts its own requests into files in
PROMETHEUS_MULTIPROC_DIR (set by `equiserve production`), and `/metrics` adds
them up; under `equiserve serve` (one process) the default registry is read.
Queue depth and staleness are read from the database when scraped.
"""

import os
import time

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "equiserve_http_requests",
    "HTTP requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "equiserve_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def _view_name(request) -> str:
    """Name a request by its route, never by its path (paths hold record ids)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith("/static/") else "unresolved"
    return match.view_name or match.route or "unnamed"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        return response


class DatabaseCollector:
    """Read the task queue and the indicator values' freshness at scrape time."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from equiserve.monitoring.models import IndicatorValue
        from equiserve.operations.heartbeat import heartbeat_latest

        queue = GaugeMetricFamily(
            "equiserve_task_queue_depth",
            "Background tasks waiting or running, by status.",
            labels=["status"],
        )
        for status in ("READY", "RUNNING"):
            queue.add_metric(
                [status.lower()], DBTaskResult.objects.filter(status=status).count()
            )
        yield queue
        now = timezone.now()
        found = IndicatorValue.objects.aggregate(
            stale=Count("pk", filter=Q(pending_version__isnull=False)),
            total=Count("pk"),
            oldest=Min("computed_at"),
            oldest_stale=Min("computed_at", filter=Q(pending_version__isnull=False)),
        )
        yield GaugeMetricFamily(
            "equiserve_indicator_values_stale",
            "Stored indicator values marked stale or never computed.",
            value=found["stale"],
        )
        yield GaugeMetricFamily(
            "equiserve_indicator_values",
            "Stored indicator values.",
            value=found["total"],
        )
        oldest_stale = found["oldest_stale"]
        yield GaugeMetricFamily(
            "equiserve_indicator_staleness_seconds",
            "Age of the oldest computation among the values marked stale (0: none).",
            value=(now - oldest_stale).total_seconds() if oldest_stale else 0,
        )
        beat = heartbeat_latest()
        yield GaugeMetricFamily(
            "equiserve_task_worker_heartbeat_age_seconds",
            "Seconds since a task worker last wrote its heartbeat (-1: never).",
            value=(now - beat).total_seconds() if beat else -1,
        )


def metrics_exposition() -> tuple[bytes, str]:
    """Return the metrics text and its content type."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        # Process-local and database figures are read here, not summed per worker.
        registry.register(DatabaseCollector())
        return generate_latest(registry), CONTENT_TYPE_LATEST
    registry.register(DatabaseCollector())
    return generate_latest(REGISTRY) + generate_latest(registry), CONTENT_TYPE_LATEST
