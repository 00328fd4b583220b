"""gunicorn's settings for `equiserve production` (issue 21, deliverable 1).

Read by gunicorn as `python:equiserve.operations.gunicorn_conf`; each value can
be changed with an EQUISERVE_* variable or on gunicorn's own command line
(`equiserve production -- --timeout 60`).

Signals to the master process (its pid is the service's): HUP reloads the
configuration and replaces the workers gracefully (each finishes its request),
TERM stops after at most `graceful_timeout`, USR2 starts a new master (upgrade
without a dropped connection), TTIN/TTOU add or remove one worker.
"""

import json
import os
import shutil
import subprocess
import sys

# Sync workers, one request each: the evaluation with explanations is CPU-bound
# Python, so processes, not threads, use the cores; nginx buffers slow clients.
# One worker a core and one more for a request waiting on the database: on two
# cores under 50 users, 3 workers kept p99 at 560-830 ms where the usual
# 2 × cores + 1 = 5 gave 820-1,000 ms, at the same throughput (PERFORMANCE.md).
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
workers = int(os.environ.get("EQUISERVE_WORKERS", cores + 1))
worker_class = "sync"
bind = os.environ.get("EQUISERVE_BIND", "127.0.0.1:8000").split(",")
# A request still running after this is ended and its worker replaced.
timeout = int(os.environ.get("EQUISERVE_REQUEST_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after about this many requests: bounds slow memory growth.
max_requests = 2000
max_requests_jitter = 200
# The largest header the app accepts; the body limit is nginx's and the app's.
limit_request_line = 8190
backlog = 2048
proc_name = "equiserve"
# The access log holds the view's path without its query string, no address and
# no user agent: no personal data (issue 21, deliverable 4).
accesslog = os.environ.get("EQUISERVE_ACCESS_LOG", "-") or None
if os.environ.get("EQUISERVE_LOG_FORMAT") == "json":
    access_log_format = json.dumps(
        {
            "time": "%(t)s",
            "logger": "gunicorn.access",
            "method": "%(m)s",
            "path": "%(U)s",
            "status": "%(s)s",
            "bytes": "%(B)s",
            "duration_ms": "%(M)s",
        }
    )
else:
    access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"

_task_worker = None


def _start_task_worker():
    global _task_worker
    if os.environ.get("EQUISERVE_TASK_WORKER", "1") != "1":
        return
    command = shutil.which("equiserve") or sys.executable
    args = (
        [command] if command.endswith("equiserve") else [command, "-m", "equiserve.cli"]
    )
    _task_worker = subprocess.Popen([*args, "monitoring", "worker"])


def _stop_task_worker():
    global _task_worker
    if _task_worker and _task_worker.poll() is None:
        _task_worker.terminate()
        try:
            _task_worker.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            _task_worker.kill()
    _task_worker = None


def when_ready(server):
    """Start the monitoring task worker beside the web workers."""
    _start_task_worker()


def on_reload(server):
    """On HUP, restart the task worker too, so both run the same code."""
    _stop_task_worker()
    _start_task_worker()


def on_exit(server):
    _stop_task_worker()


def post_fork(server, worker):
    """Give each web worker one Polars thread: a case's tiny query pays more for
    handing work to a pool than it gains, and the processes already use every
    core (measured: 28 against 55 ms a request on 2 busy cores). The task worker
    is started by the master and keeps Polars' pool for whole-city runs."""
    os.environ.setdefault("POLARS_MAX_THREADS", "1")


def child_exit(server, worker):
    """Drop a finished worker's live gauges from the shared metrics files."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
