"""The audit page shows logins and failed logins (filterable), decision amounts,
and links each entry to its record for a reader who may open it (issue 14,
deliverable 9)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from equiserve.cases import services
from equiserve.cases.tests.factories import eligible_applicant

pytestmark = pytest.mark.django_db


def test_logins_and_failed_logins_show_and_filter(demo_accounts, login):
    from django.test import Client

    Client().post("/accounts/login/", {"username": "office", "password": "demo-office"})
    Client().post("/accounts/login/", {"username": "office", "password": "wrong"})
    auditor = login("auditor")
    failed = auditor.get("/audit/?action=login_failed").content.decode()
    assert "Failed login" in failed
    assert "1 entry" in failed
    logins = auditor.get("/audit/?action=login&user=office").content.decode()
    assert "Logged in" in logins and "1 entry" in logins


def test_a_decision_shows_its_amount_and_links_to_its_case(demo_accounts, login):
    officer = get_user_model().objects.get(username="civil-affairs")
    case = services.case_register(
        programme="hardship_relief",
        applicant=eligible_applicant("hardship_relief"),
        applied_on=dt.date(2015, 6, 10),
        documents=["id_card", "incident_proof"],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    services.case_decide(
        case=case,
        version=case.version,
        decision="approve",
        reason="fire",
        amount="3,000",
        actor=officer,
    )
    page = login("auditor").get("/audit/?action=decide").content.decode()
    assert '<span class="amount">¥3,000.00</span>' in page
    assert f'<a href="/cases/{case.pk}/">{case.pk}</a>' in page
    person = case.applicant
    registered = login("auditor").get("/audit/?object_type=cases.case").content
    assert f'href="/cases/{case.pk}/"'.encode() in registered
    # A record the reader may not open is not linked (a missing one here).
    from equiserve.audit.links import record_url

    assert record_url(officer, "cases.case", 999999) is None
    assert record_url(officer, "registry.person", person.pk) == (
        f"/registry/persons/{person.public_id}/"
    )
    town = get_user_model().objects.get(username="town-guzhen")
    assert record_url(town, "registry.person", person.pk) is None
