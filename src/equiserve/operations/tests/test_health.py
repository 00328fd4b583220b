"""`/healthz`, `/readyz` and `/metrics` (issue 21, deliverable 3)."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from equiserve.operations import readiness
from equiserve.operations.heartbeat import HEARTBEAT_MAX_AGE, heartbeat_beat
from equiserve.operations.models import WorkerHeartbeat


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def worker_alive(db):
    heartbeat_beat("test-host:1")


def test_healthz_answers_while_the_process_serves(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_the_database_migrations_and_a_live_worker(
    client, worker_alive
):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["unapplied"] == []
    assert checks["task_worker"]["ok"]


def test_readyz_fails_when_the_database_is_unreachable(client, worker_alive):
    unreachable = mock.Mock()
    unreachable.cursor.side_effect = OperationalError("connection refused")
    with mock.patch.object(readiness, "connection", unreachable):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "detail": "OperationalError",
    }


def test_readyz_fails_while_a_migration_is_not_applied(client, worker_alive):
    MigrationRecorder.Migration.objects.filter(
        app="operations", name="0001_initial"
    ).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations == {"ok": False, "unapplied": ["operations.0001_initial"]}


def test_readyz_fails_when_no_worker_beat_recently(client, db):
    WorkerHeartbeat.objects.create(
        worker="gone:2", beat_at=timezone.now() - 2 * HEARTBEAT_MAX_AGE
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert not response.json()["checks"]["task_worker"]["ok"]


def test_metrics_count_requests_by_view_and_read_the_queue(client, db):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        'equiserve_http_requests_total{method="GET",status="2xx",view="healthz"}'
        in (text)
    )
    assert (
        'equiserve_http_request_duration_seconds_bucket{le="0.01",view="healthz"}'
        in (text)
    )
    assert 'equiserve_task_queue_depth{status="ready"}' in text
    assert "equiserve_indicator_values_stale 0.0" in text
    assert "equiserve_indicator_staleness_seconds 0.0" in text


def test_metrics_are_not_served_through_the_proxy(client, db):
    """nginx adds X-Forwarded-For: the internet-facing side gets a 404."""
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_metrics_ask_for_the_token_when_one_is_set(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    right = client.get(
        "/metrics",
        HTTP_AUTHORIZATION="Bearer s3cret-token",
        HTTP_X_FORWARDED_FOR="10.0.0.5",
        REMOTE_ADDR="10.0.0.5",
    )
    assert right.status_code == 200
