"""The monitoring worker's task: recompute the indicator values marked stale.

Run by Django's task framework (the `django-tasks` backport, its database
backend): `equiserve monitoring worker` runs `db_worker`, and `make run` starts it
beside the server. One task drains every stale value, so at most one waits in
the queue at a time.
"""

from __future__ import annotations

from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def refresh_values() -> int:
    """Recompute every stale or pending indicator value; return how many."""
    from equiserve.monitoring.stored import values_refresh

    return values_refresh()


def refresh_values_enqueue() -> None:
    """Enqueue `refresh_values` unless one is waiting and not started yet.

    A task already running may have read the stale values before this change,
    so only a waiting one makes another unnecessary.
    """
    waiting = DBTaskResult.objects.ready().filter(task_path=refresh_values.module_path)
    if not waiting.exists():
        refresh_values.enqueue()
