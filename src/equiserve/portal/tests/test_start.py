"""Each role lands on its own work queue, with counts linked to each item
(issue 14, deliverable 1)."""

import re

import pytest

from equiserve.cases import services
from equiserve.cases.tests.factories import (
    APPLIED_ON,
    GUZHEN,
    eligible_applicant,
    second_civil_affairs_officer,
)

pytestmark = pytest.mark.django_db


def _counts(page: str) -> dict[str, int]:
    """Return {queue title: count} read from a start page."""
    return {
        title: int(count)
        for title, count in re.findall(
            r'<h2><a href="[^"]*">([^<]+)</a> <span class="count" data-count="(\d+)">',
            page,
        )
    }


def _case(programme, by, *, town=None, documents=None, assess=False):
    from equiserve.cases.programmes import PROGRAMMES

    kwargs = {"town": town} if town else {}
    case = services.case_register(
        programme=programme,
        applicant=eligible_applicant(programme, **kwargs),
        applied_on=APPLIED_ON[programme],
        documents=[d.code for d in PROGRAMMES[programme].documents]
        if documents is None
        else documents,
        actor=by,
    )
    if assess:
        services.case_assess(case=case, version=case.version, actor=by)
    return case


@pytest.fixture
def officers(demo_accounts):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    users["civil-affairs-2"] = second_civil_affairs_officer()
    return users


def test_logging_in_lands_on_the_start_page_and_the_plan_stays_reachable(
    demo_accounts, client
):
    response = client.post(
        "/accounts/login/", {"username": "office", "password": "demo-office"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    assert client.get("/").status_code == 200


def test_a_department_officer_counts_decisions_and_second_approvals(officers, login):
    first = officers["civil-affairs"]
    _case("funeral", first, assess=True)
    _case("hardship_relief", first)
    big = _case("hardship_relief", first, town=GUZHEN, assess=True)
    services.case_decide(
        case=big,
        version=big.version,
        decision="approve",
        reason="fire",
        amount="20,000",
        actor=first,
    )
    mine = _counts(login("civil-affairs").get("/start/").content.decode())
    other = login("civil-affairs-2").get("/start/").content.decode()
    # The maker's own first approval waits for someone else, not for them.
    assert mine["Cases awaiting my second approval"] == 0
    assert _counts(other)["Cases awaiting my second approval"] == 1
    assert f'href="/cases/{big.pk}/"' in other
    assert mine["Cases awaiting my decision"] == 1
    assert mine["Applications to assess"] == 1
    # Another department sees none of civil affairs' cases.
    education = _counts(login("education").get("/start/").content.decode())
    assert education["Cases awaiting my decision"] == 0


def test_a_town_officer_counts_their_towns_applications_awaiting_documents(
    officers, login
):
    town = officers["town-xiaolan"]
    waiting = _case("funeral", town, documents=["death_certificate"])
    _case("funeral", officers["town-guzhen"], town=GUZHEN, documents=[])
    page = login("town-xiaolan").get("/start/").content.decode()
    counts = _counts(page)
    assert counts["Applications my town registered awaiting documents"] == 1
    assert f'href="/cases/{waiting.pk}/"' in page
    assert "Facilities and places below the plan&#x27;s standard in my town" in counts


def test_the_office_and_the_auditor_have_their_queues(officers, login):
    office = _counts(login("office").get("/start/").content.decode())
    assert set(office) == {
        "Reports to review",
        "Towns and departments overdue with their report",
    }
    assert office["Reports to review"] == 0
    auditor = login("auditor").get("/start/").content.decode()
    assert "Audit entries since the latest checkpoint" in auditor
    assert login(None).get("/start/").status_code == 302
