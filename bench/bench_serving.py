"""Load held (issue 21, deliverable 5): `equiserve production` beside `equiserve serve`.

The demo city (1 %, as `make run` loads it) in its own var directory
(BENCH_SERVING_VAR, default var/bench-serving, kept between runs), each server on
a free port of 127.0.0.1, then locust headless on loopback: 10 and 50 users, each
for BENCH_SECONDS (60) on the mix in bench/locust_serving.py. Prints requests/s,
p50/p95/p99 (ms), each request's p99, failures and the CPU used, for each server
and user count; then production with one worker, and the throughput ratios.
"""

import csv
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EQUISERVE = [sys.executable, "-m", "equiserve.cli"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
USERS = (10, 50)
HOST = "127.0.0.1"  # loopback only: the load never leaves the machine


def emit(metric: str, value, unit: str, aim: str = "") -> None:
    print(
        json.dumps(
            {
                "bench": "serving",
                "metric": metric,
                "value": value,
                "unit": unit,
                "aim": aim,
            }
        ),
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(var: Path) -> dict:
    env = {**os.environ, "EQUISERVE_VAR": str(var), "EQUISERVE_DEMO": "1"}
    env.pop("DATABASE_URL", None)  # the embedded database, as `make run` uses
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def wait_until_up(url: str, server: subprocess.Popen, limit: float = 900) -> None:
    deadline = time.monotonic() + limit  # the first production start collects
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server at {url} did not come up")
        time.sleep(0.5)


def api_token(port: int) -> str:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1/auth/token",
        data=json.dumps({"username": "office", "password": "demo-office"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())["token"]


def cpu_seconds(pid: int) -> float:
    """Return the CPU time used so far by a process and its descendants.

    A living process counts its own time; one that ended counts in its parent's
    reaped-children time: gunicorn replaces each worker after about 2,000
    requests, and counting the living only gave a negative figure.
    """
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user
        total += times.children_system
    return total


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def locust(port: int, users: int, out: Path, token: str, server_pid: int) -> dict:
    prefix = out / f"u{users}"
    server_before, locust_before = cpu_seconds(server_pid), children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locust_serving.py"),
            "--headless",
            "--only-summary",
            "--skip-log",
            "--host",
            f"http://{HOST}:{port}",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{SECONDS}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
        ],
        cwd=ROOT,
        env={**os.environ, "BENCH_TOKEN": token},
        check=False,
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    elapsed = time.perf_counter() - started
    server_cpu = cpu_seconds(server_pid) - server_before
    locust_cpu = children_cpu() - locust_before
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    slowest = {name: float(row["99%"]) for name, row in rows.items() if row["Type"]}
    return {
        "requests/s": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "failures": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        # Where the two cores went: the server's processes (web workers, task
        # worker, master) and the load generator's.
        "server cores": server_cpu / elapsed,
        "server cpu ms": 1000 * server_cpu / max(1, int(total["Request Count"])),
        "locust cores": locust_cpu / elapsed,
        "p99 by request": slowest,
    }


def run_server(name: str, command: list[str], env: dict, out: Path) -> dict:
    """Load the server `command` starts; return requests/s by number of users."""
    port = free_port()
    server = subprocess.Popen(
        [
            *command,
            *(
                ["--bind", f"{HOST}:{port}"]
                if name.startswith("production")
                else ["--host", HOST, "--port", str(port)]
            ),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    throughput = {}
    try:
        wait_until_up(f"http://{HOST}:{port}/healthz", server)
        token = api_token(port)
        for users in USERS:
            figures = locust(port, users, out, token, server.pid)
            throughput[users] = figures["requests/s"]
            label = f"{name}, {users} users, {SECONDS} s"
            aim = (
                "≥ 2× serve at 50 users" if name == "production" and users == 50 else ""
            )
            emit(f"{label}: requests/s", figures["requests/s"], "req/s", aim)
            for quantile in ("p50", "p95", "p99"):
                emit(
                    f"{label}: {quantile}",
                    figures[quantile],
                    "ms",
                    "< 1000"
                    if quantile == "p99"
                    and users == 50
                    and name in ("production", "serve")
                    else "",
                )
            for request, p99 in sorted(figures["p99 by request"].items()):
                emit(f"{label}: p99 of the {request}", p99, "ms")
            emit(f"{label}: failures", figures["failures"], "requests", "0")
            emit(f"{label}: server CPU per request", figures["server cpu ms"], "ms")
            emit(f"{label}: cores used by the server", figures["server cores"], "")
            emit(f"{label}: cores used by locust", figures["locust cores"], "")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return throughput


def main() -> None:
    var = Path(os.environ.get("BENCH_SERVING_VAR", ROOT / "var" / "bench-serving"))
    var.mkdir(parents=True, exist_ok=True)
    env = environment(var)
    run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*EQUISERVE, "migrate"], **run)
    subprocess.run([*EQUISERVE, "demo", "load", "--if-empty"], **run)
    # Indicator values computed before, as in a city that has run a while, so
    # that production's task worker idles (beats) instead of competing.
    try:
        subprocess.run(
            [*EQUISERVE, "monitoring", "worker", "--batch"], **run, timeout=600
        )
    except subprocess.TimeoutExpired:
        print("the indicator values were not all computed in 10 minutes")
    emit("machine load average at start", os.getloadavg()[0], "", "shared machine")
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as out:
        production = run_server(
            "production", [*EQUISERVE, "production"], env, Path(out)
        )
        serve = run_server("serve", [*EQUISERVE, "serve"], env, Path(out))
        # The same server with one worker: what the processes add, apart from
        # what waitress's threads gain where Polars releases the GIL.
        one = run_server(
            "production, 1 worker",
            [*EQUISERVE, "production", "--workers", "1"],
            env,
            Path(out),
        )
    top = USERS[-1]
    emit(
        f"production / serve, {top} users",
        production[top] / serve[top],
        "×",
        "≥ 2",
    )
    emit(
        f"production / production with 1 worker, {top} users",
        production[top] / one[top],
        "×",
    )
    emit("machine load average at end", os.getloadavg()[0], "", "shared machine")


if __name__ == "__main__":
    main()
