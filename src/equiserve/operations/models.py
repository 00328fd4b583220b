"""What running the system needs to know about itself (issue 21)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The latest sign of life of one task worker process.

    django-tasks-db's worker records nothing while the queue is empty, so a quiet
    worker and a dead one look alike; the worker writes this row every few seconds
    and `/readyz` reads it (issue 21, deliverable 3).
    """

    # "<host>:<pid>": one row per worker process, kept after it stops.
    worker = models.CharField(_("worker"), max_length=128, unique=True)
    beat_at = models.DateTimeField(_("last sign of life"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
