"""The task worker's heartbeat: written by the worker, read by `/readyz`.

"Alive" means a worker wrote its heartbeat within HEARTBEAT_MAX_AGE; the worker
beats every HEARTBEAT_EVERY from a thread beside django-tasks-db's loop, so a
worker busy on a long task still counts as alive, and a killed one stops beating.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from equiserve.operations.models import WorkerHeartbeat

HEARTBEAT_EVERY = timedelta(seconds=10)
HEARTBEAT_MAX_AGE = timedelta(seconds=60)
logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def heartbeat_beat(worker: str | None = None) -> None:
    """Record that this worker process is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or worker_name(), defaults={"beat_at": timezone.now()}
    )


def heartbeat_latest():
    """Return when any worker last beat, or None."""
    return (
        WorkerHeartbeat.objects.order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )


def worker_alive(now=None) -> bool:
    latest = heartbeat_latest()
    return latest is not None and (now or timezone.now()) - latest <= HEARTBEAT_MAX_AGE


def _beat_forever(stop: threading.Event) -> None:
    worker = worker_name()
    while not stop.is_set():
        try:
            close_old_connections()
            heartbeat_beat(worker)
        except Exception:  # a locked or restarting database must not end the beat
            logger.warning("the worker could not write its heartbeat", exc_info=True)
        finally:
            connection.close()
        stop.wait(HEARTBEAT_EVERY.total_seconds())


def heartbeat_start() -> threading.Event:
    """Beat from a daemon thread until the process ends; set the event to stop."""
    stop = threading.Event()
    threading.Thread(
        target=_beat_forever, args=(stop,), name="heartbeat", daemon=True
    ).start()
    return stop
