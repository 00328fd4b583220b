"""A department's start page counts the overdue milestones of the projects it
leads, linked to its overdue list and to each project (issue 17)."""

import datetime as dt
import re

from django.utils import timezone

from equiserve.projects.tests.factories import make_milestone, make_project

TITLE = "Overdue milestones of my department&#x27;s projects"


def _count(page: str) -> int | None:
    match = re.search(
        rf'<h2><a href="/projects/overdue/">{TITLE}</a> '
        r'<span class="count" data-count="(\d+)">',
        page,
    )
    return int(match.group(1)) if match else None


def test_each_department_counts_its_own_overdue_milestones(demo_accounts, login):
    today = timezone.localdate()
    school = make_project(code="childrens-school", name_en="Children's school")
    library = make_project(code="library", department="culture")
    make_milestone(school, today - dt.timedelta(days=1), name_en="Roof")  # past due
    make_milestone(school, today + dt.timedelta(days=30), status="late")  # marked
    make_milestone(  # done: not overdue
        school,
        today - dt.timedelta(days=60),
        status="done",
        actual_date=today - dt.timedelta(days=61),
    )
    make_milestone(school, today + dt.timedelta(days=30))  # not yet due
    make_milestone(library, today - dt.timedelta(days=5))

    federation = login("disabled-federation").get("/start/").content.decode()
    assert _count(federation) == 2
    assert "Children&#x27;s school · Roof" in federation
    assert 'href="/projects/childrens-school/"' in federation
    assert 'href="/projects/library/"' not in federation
    assert _count(login("culture").get("/start/").content.decode()) == 1
    assert _count(login("education").get("/start/").content.decode()) == 0
    # The office, the auditor and town officers have no such queue.
    for username in ("office", "auditor", "town-xiaolan"):
        page = login(username).get("/start/").content.decode()
        assert _count(page) is None, username
