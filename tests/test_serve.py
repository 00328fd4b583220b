"""What `make run` does, end to end: migrate, load the demo city, serve the home page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EQUISERVE = [sys.executable, "-m", "equiserve.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.sqlite_file
@pytest.mark.slow
def test_demo_city_is_loaded_and_served(tmp_path: Path):
    env = {
        **os.environ,
        "EQUISERVE_VAR": str(tmp_path),
        "EQUISERVE_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "equiserve.settings",
    }
    env.pop("DATABASE_URL", None)  # the embedded database, as `make run` uses
    run = {"env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([*EQUISERVE, "migrate"], **run)
    loaded = subprocess.run([*EQUISERVE, "demo", "load", "--scale", "0.001"], **run)
    assert "Loaded 3970 persons" in loaded.stdout
    # Issue 4: the demo database's audit trail verifies.
    verified = subprocess.run([*EQUISERVE, "audit", "verify"], **run)
    assert "chain intact" in verified.stdout
    # Issue 7: the demo city has a round "demo" ready to draw, and its export verifies.
    round_file = tmp_path / "round.json"
    subprocess.run(
        [*EQUISERVE, "housing", "draw", "--round", "demo", "--out", str(round_file)],
        **run,
    )
    checked = subprocess.run([*EQUISERVE, "housing", "verify", str(round_file)], **run)
    assert "verified" in checked.stdout
    accounts = subprocess.run([*EQUISERVE, "demo", "accounts"], **run)
    assert "town-xiaolan" in accounts.stdout and "demo-town-xiaolan" in accounts.stdout
    again = subprocess.run([*EQUISERVE, "demo", "load", "--if-empty"], **run)
    assert "3970 persons already loaded; kept." in again.stdout
    assert (tmp_path / "equiserve.sqlite3").exists()

    port = _free_port()
    server = subprocess.Popen(
        [*EQUISERVE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200
        assert "公共服务均等化方案" in page
        status, english = _get(f"http://127.0.0.1:{port}/", cookie="django_language=en")
        assert "Public Service Equalization Plan" in english
        status, script = _get(
            f"http://127.0.0.1:{port}/static/vendor/echarts-5.6.0/echarts.min.js"
        )
        assert status == 200 and "echarts" in script[:2000]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("WAL is SQLite's journal mode")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database lives in memory, where SQLite reports "memory"; the
    # configured init command is what a file database runs.
    assert mode in {"wal", "memory"}
    from django.conf import settings

    assert (
        "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    )
