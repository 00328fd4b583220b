"""Drive a file SQLite database in separate processes, for the tests that need them.

`python -m equiserve.cases.tests.filedb COMMAND …` with EQUISERVE_VAR set:

    prepare N      migrate, load the towns, create the officers, N deceased
                   persons in Xiaolan and one assessed funeral case; print JSON
    decide CASE VERSION USER GO
                   wait until the file GO exists, then approve the case at
                   VERSION as USER; print "ok" or "conflict: <message>"
    count          print JSON: cases, audit entries, whether the chain verifies
"""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def environment(var_dir: Path) -> dict:
    """Return the environment of a process on the file database in `var_dir`."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["EQUISERVE_VAR"] = str(var_dir)
    env.setdefault("DJANGO_SETTINGS_MODULE", "equiserve.settings")
    return env


def run(var_dir: Path, *args: str) -> str:
    """Run a command of this module on the file database; return its output."""
    done = subprocess.run(
        [sys.executable, "-m", "equiserve.cases.tests.filedb", *args],
        env=environment(var_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip()


def _prepare(count: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from equiserve.accounts.models import Role
    from equiserve.cases import services
    from equiserve.cases.tests.factories import (
        XIAOLAN,
        eligible_applicant,
        make_officer,
        make_person,
    )
    from equiserve.geography.services import geography_load_reference

    geography_load_reference()
    lead = make_officer("civil-affairs", Role.DEPARTMENT, department="civil-affairs")
    make_officer("civil-affairs-2", Role.DEPARTMENT, department="civil-affairs")
    make_officer("town-xiaolan", Role.TOWN, town=XIAOLAN)
    case = services.case_register(
        programme="funeral",
        applicant=eligible_applicant("funeral", XIAOLAN),
        applied_on=dt.date(2015, 6, 22),
        documents=["death_certificate", "family_id_card"],
        actor=lead,
    )
    services.case_assess(case=case, version=case.version, actor=lead)
    keys = []
    with transaction.atomic():
        for number in range(count):
            person = make_person(
                XIAOLAN,
                key=f"dead-{number:05d}",
                birth_date=dt.date(1930, 1, 1) + dt.timedelta(days=number),
                death_date=dt.date(2015, 6, 20),
            )
            keys.append(person.key)
    return {"case": case.pk, "version": case.version, "keys": keys}


def _decide(case_id: int, version: int, username: str, go: str) -> str:
    from django.contrib.auth import get_user_model

    from equiserve.cases import services
    from equiserve.cases.models import Case
    from equiserve.cases.workflow import CaseConflict

    actor = get_user_model().objects.get(username=username)
    case = Case.objects.get(pk=case_id)
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    try:
        services.case_decide(
            case=case, version=version, decision="approve", reason=username, actor=actor
        )
    except CaseConflict as conflict:
        return f"conflict: {conflict.message}"
    return "ok"


def _count() -> dict:
    from equiserve.audit.models import AuditEntry
    from equiserve.audit.services import audit_verify
    from equiserve.cases.models import Case, Decision

    return {
        "cases": Case.objects.count(),
        "decisions": Decision.objects.count(),
        "audit": AuditEntry.objects.count(),
        "chain_ok": audit_verify().ok,
    }


def main(argv: list[str]) -> None:
    from equiserve.django_setup import setup_django

    setup_django()
    from django.utils import translation

    translation.activate("en")
    command, *args = argv
    if command == "prepare":
        print(json.dumps(_prepare(int(args[0]))))
    elif command == "decide":
        print(_decide(int(args[0]), int(args[1]), args[2], args[3]))
    elif command == "count":
        print(json.dumps(_count()))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
