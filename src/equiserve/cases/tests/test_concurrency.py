"""Two officers deciding the same case at once: one succeeds, the other is told
of the conflict, and nothing is lost or doubled (issue 4)."""

import json
import subprocess
import sys
import threading

import pytest
from django.db import connection

from equiserve.audit.models import AuditEntry
from equiserve.cases import services
from equiserve.cases.models import Decision, Entitlement
from equiserve.cases.tests.filedb import environment, run
from equiserve.cases.workflow import CaseConflict


@pytest.mark.django_db
def test_a_decision_on_a_stale_version_is_refused_and_saves_nothing(
    officers, make_case
):
    case = make_case("funeral", assess=True)
    stale = type(case).objects.get(pk=case.pk)
    services.case_decide(
        case=case,
        version=2,
        decision="approve",
        reason="first",
        actor=officers["civil-affairs"],
    )
    audit_before = AuditEntry.objects.count()
    with pytest.raises(CaseConflict) as refused:
        services.case_decide(
            case=stale,
            version=2,
            decision="reject",
            reason="second",
            actor=officers["civil-affairs-2"],
        )
    assert refused.value.status == 409
    assert (refused.value.version, refused.value.case_status) == (3, "approved")
    assert refused.value.message.startswith(
        "This case was changed by civil-affairs at "
    )
    assert refused.value.message.endswith(
        "while you were working on it (you had version 2; it is now version 3, "
        "“Approved”). Nothing you sent was saved: reload the case and try again."
    )
    assert list(Decision.objects.values_list("reason", flat=True)) == ["first"]
    assert Entitlement.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_the_page_shows_the_conflict_and_the_case_as_it_now_is(
    officers, make_case, login
):
    case = make_case("funeral", assess=True)
    first = login("civil-affairs")
    second = login("civil-affairs-2")
    form = {"version": 2, "decision": "approve", "reason": "ok", "confirmed": "1"}
    assert (
        first.post(
            f"/cases/{case.pk}/decide/", form, HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )
    response = second.post(
        f"/cases/{case.pk}/decide/",
        form | {"decision": "reject"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "This case was changed by civil-affairs" in page
    assert '<td class="case-status">Approved</td>' in page
    # The fragment carries the new version, so the next decision can be made.
    assert 'name="version" value="3"' in page


@pytest.mark.django_db
def test_the_api_answers_409_with_the_current_version(officers, make_case, api):
    case = make_case("funeral", assess=True)
    url = f"/api/v1/cases/{case.pk}/decide"
    body = {"version": 2, "decision": "approve", "reason": "ok"}
    assert api("civil-affairs", "post", url, body).status_code == 200
    conflict = api("civil-affairs-2", "post", url, body)
    assert conflict.status_code == 409
    assert conflict.json()["version"] == 3
    assert conflict.json()["status"] == "approved"


@pytest.mark.django_db(transaction=True)
def test_two_threads_deciding_at_once_on_postgresql(officers, make_case):
    if connection.vendor != "postgresql":
        pytest.skip(
            "threads share no in-memory SQLite test database; the file-database "
            "test below covers SQLite with two processes"
        )
    case = make_case("funeral", assess=True)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(username, decision):
        from django.db import connection as own

        try:
            barrier.wait()
            services.case_decide(
                case=type(case).objects.get(pk=case.pk),
                version=2,
                decision=decision,
                reason=username,
                actor=officers[username],
            )
            outcomes[username] = "ok"
        except CaseConflict:
            outcomes[username] = "conflict"
        finally:
            own.close()

    threads = [
        threading.Thread(target=decide, args=("civil-affairs", "approve")),
        threading.Thread(target=decide, args=("civil-affairs-2", "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    assert Decision.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.version == 3


@pytest.mark.sqlite_file
def test_two_processes_deciding_at_once_on_a_sqlite_file(tmp_path):
    prepared = json.loads(run(tmp_path, "prepare", "0"))
    go = tmp_path / "go"
    command = [sys.executable, "-m", "equiserve.cases.tests.filedb", "decide"]
    processes = [
        subprocess.Popen(
            [*command, str(prepared["case"]), str(prepared["version"]), user, str(go)],
            env=environment(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in ("civil-affairs", "civil-affairs-2")
    ]
    go.touch()
    outputs = [process.communicate(timeout=120) for process in processes]
    results = sorted(out.strip().split(":")[0] for out, _err in outputs)
    assert results == ["conflict", "ok"], outputs
    counts = json.loads(run(tmp_path, "count"))
    assert counts["decisions"] == 1
    assert counts["chain_ok"] is True
