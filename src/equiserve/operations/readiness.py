"""What `/readyz` checks: the database answers, its migrations are all applied,
a task worker is alive (issue 21, deliverable 3)."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from equiserve.operations.heartbeat import HEARTBEAT_MAX_AGE, worker_alive


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "detail": type(error).__name__}
    return {"ok": True}


def _migrations() -> dict:
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return {"ok": False, "detail": type(error).__name__}
    names = sorted(f"{m.app_label}.{m.name}" for m, _backwards in unapplied)
    return {"ok": not names, "unapplied": names}


def _task_worker() -> dict:
    try:
        alive = worker_alive()
    except DatabaseError as error:
        return {"ok": False, "detail": type(error).__name__}
    return {
        "ok": alive,
        "detail": f"heartbeat within {HEARTBEAT_MAX_AGE.seconds} s"
        if alive
        else f"no worker heartbeat within {HEARTBEAT_MAX_AGE.seconds} s",
    }


def readiness() -> dict[str, dict]:
    database = _database()
    if not database["ok"]:
        return {"database": database}
    return {
        "database": database,
        "migrations": _migrations(),
        "task_worker": _task_worker(),
    }
