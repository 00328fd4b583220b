"""Killing the process in the middle of a bulk import leaves the database as before.

The import runs in a child process against a file-based SQLite database (its
own EQUISERVE_VAR). The child makes the import pause after two batches of
persons have been written inside the transaction, and the test SIGKILLs it
there. Nothing of the import may remain, and the database must still work.
"""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from equiserve.testkit import XIAOLAN, id_number

pytestmark = pytest.mark.slow

SETUP = """
from equiserve.django_setup import setup_django
setup_django()
from django.core.management import call_command
from equiserve.geography.services import geography_load_reference
call_command("migrate", interactive=False, verbosity=0)
geography_load_reference()
"""

# Write 25 persons per batch; after the second batch, say so and hang.
PAUSING_IMPORT = """
import sys, time
from pathlib import Path
from equiserve.django_setup import setup_django
setup_django()
from equiserve.registry import services
from equiserve.registry.models import Person

services.BATCH_SIZE = 25
manager = Person.objects
real_bulk_create = manager.bulk_create
batches = []

def pausing_bulk_create(objs, *args, **kwargs):
    created = real_bulk_create(objs, *args, **kwargs)
    batches.append(len(created))
    if len(batches) == 2:
        Path(sys.argv[2]).write_text(str(sum(batches)))
        time.sleep(120)
    return created

manager.bulk_create = pausing_bulk_create
from equiserve.cli import app
app(["registry", "import", sys.argv[1]])
"""


def _environment(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "EQUISERVE_VAR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "equiserve.settings",
        "EQUISERVE_DEMO": "0",
    }
    return env


def _run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("registry_person", "registry_household", "audit_auditentry")
        }


def _file(path: Path, first: int, count: int) -> Path:
    lines = ["key,id_number,name,household,hukou,town"]
    lines += [f"H{n},{XIAOLAN}" for n in range(first, first + count)]
    households = "\n".join(["key,town", *lines[1:]])
    persons = [lines[0]] + [
        f"K{n},{id_number(dt.date(1990, 1, 1) + dt.timedelta(days=n), 1 + n % 900)},"
        f"名{n},H{n},zhongshan,{XIAOLAN}"
        for n in range(first, first + count)
    ]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in households.splitlines():
        sheet.append(row.split(","))
    people = book.create_sheet("persons")
    for row in persons:
        people.append(row.split(","))
    book.save(path)
    return path


@pytest.mark.sqlite_file
def test_a_killed_import_leaves_the_database_as_before(tmp_path):
    env = _environment(tmp_path)
    database = tmp_path / "equiserve.sqlite3"
    setup = _run(SETUP, env=env)
    assert setup.returncode == 0, setup.stderr
    first = _run(
        "from equiserve.cli import app; import sys; app(['registry','import',sys.argv[1]])",
        str(_file(tmp_path / "first.xlsx", 0, 10)),
        env=env,
    )
    assert first.returncode == 0, first.stderr
    before = _counts(database)
    assert before == {
        "registry_person": 10,
        "registry_household": 10,
        "audit_auditentry": 1,
    }

    bulk = _file(tmp_path / "bulk.xlsx", 100, 120)
    marker = tmp_path / "paused"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_IMPORT, str(bulk), str(marker)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.communicate()[1].decode()
            assert time.monotonic() < deadline, "the import never reached its pause"
            time.sleep(0.05)
        # The child has written 120 households and 50 persons, uncommitted.
        assert marker.read_text() == "50"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert _counts(database) == before

    # The database is intact: the same file imports whole, the audit chain holds.
    again = _run(
        "from equiserve.cli import app; import sys; app(['registry','import',sys.argv[1]])",
        str(bulk),
        env=env,
    )
    assert again.returncode == 0, again.stderr
    assert _counts(database) == {
        "registry_person": 130,
        "registry_household": 130,
        "audit_auditentry": 2,
    }
    verify = _run("from equiserve.cli import app; app(['audit', 'verify'])", env=env)
    assert verify.returncode == 0 and "2 entries, chain intact" in verify.stdout
