"""Issue 10 (trust and security), the cases' part: findings 1, 3 and 7.

Finding 3: a department officer could read anyone by registering an empty
application for a sequential registry id. Finding 7: health programmes were
named beside a person to roles that are not health officers.
"""

import csv
import datetime as dt
import io

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.cases import services
from equiserve.cases.tests.factories import (
    GUZHEN,
    XIAOLAN,
    eligible_applicant,
    make_person,
)
from equiserve.cases.workflow import PersonNotFound
from equiserve.registry.privacy import mask_id_number

RESTRICTED_EN = "health service (restricted)"
T1D_LABELS = ("type-1 diabetes", "1型糖尿病", "3.3.2", "t1d_care", "glucose")
PREPREGNANCY_LABELS = ("pre-pregnancy", "孕前", "3.3.4", "prepregnancy_check")


# Finding 3 ---------------------------------------------------------------------


def test_a_department_cannot_open_a_record_by_registering_a_guessed_id(
    officers, api, login
):
    """Issue 10, finding 3: an empty application for a number alone finds no one."""
    stranger = make_person(GUZHEN, birth_date=dt.date(1950, 1, 1))
    for given in (stranger.pk, str(stranger.pk), stranger.key, stranger.id_number):
        response = api(
            "civil-affairs",
            "post",
            "/api/v1/cases",
            {
                "programme": "hardship_relief",
                "applicant": given,
                "applied_on": "2015-06-02",
            },
        )
        assert response.status_code in (404, 422), (given, response.content)
    assert not stranger.cases.exists()
    page = login("civil-affairs").get(f"/registry/persons/{stranger.public_id}/")
    assert page.status_code == 404


def test_a_department_registers_a_new_person_by_id_number_and_name(officers, api):
    """Issue 10, finding 3: the ID number and the name together find the person."""
    person = eligible_applicant("hardship_relief", GUZHEN)
    body = {"programme": "hardship_relief", "applied_on": "2015-06-02"}
    wrong = api(
        "civil-affairs",
        "post",
        "/api/v1/cases",
        {**body, "applicant": person.id_number, "applicant_name": "someone else"},
    )
    assert wrong.status_code == 404
    assert "by full ID number and name together" in wrong.json()["detail"]
    created = api(
        "civil-affairs",
        "post",
        "/api/v1/cases",
        {**body, "applicant": person.id_number, "applicant_name": person.name},
    )
    assert created.status_code == 201, created.content
    assert created.json()["applicant"] == str(person.public_id)
    # Once in reach, the person is found by number for the next application.
    assert services.find_person(officers["civil-affairs"], person.key) == person


def test_a_town_officer_still_registers_their_towns_persons_by_number(officers):
    """Issue 10, finding 3: a town officer's own town needs no name; others none."""
    own = make_person(XIAOLAN)
    other = make_person(GUZHEN)
    town = officers["town-xiaolan"]
    assert services.find_person(town, own.key) == own
    assert services.find_person(town, str(own.public_id)) == own
    with pytest.raises(PersonNotFound):
        services.find_person(town, other.id_number, other.name)


def test_a_department_import_finds_only_persons_it_already_sees(officers, make_case):
    """Issue 10, finding 3: the import (numbers only) cannot widen a department's reach."""
    from equiserve.cases.importing import cases_import

    stranger = eligible_applicant("hardship_relief", GUZHEN)
    known = make_case("funeral", GUZHEN).applicant
    known.hardship_cause, known.hardship_date = "fire", dt.date(2015, 6, 1)
    known.save()
    content = (
        "programme,applicant,applied_on\n"
        f"hardship_relief,{stranger.id_number},2015-06-02\n"
        f"hardship_relief,{known.key},2015-06-02\n"
    ).encode()
    report = cases_import(
        content=content, filename="a.csv", actor=officers["civil-affairs"]
    )
    assert [str(issue) for issue in report.errors] == [
        f"row 2, applicant: no person with the number “{stranger.id_number}” "
        "in your area"
    ]
    assert not stranger.cases.exists()


def test_a_case_does_not_open_the_applicants_household(make_case, login):
    """Issue 10, finding 3: a case shows the department its persons, not the household."""
    case = make_case("funeral", XIAOLAN)
    relative = make_person(XIAOLAN, household=case.household)
    civil = login("civil-affairs")
    page = civil.get(f"/registry/persons/{case.applicant.public_id}/").content.decode()
    assert relative.name not in page and mask_id_number(relative.id_number) not in page
    assert civil.get(f"/registry/persons/{relative.public_id}/").status_code == 404
    assert (
        civil.get(f"/cases/households/{case.household.public_id}/").status_code == 404
    )
    assert (
        civil.get(f"/registry/households/{case.household.public_id}/").status_code
        == 404
    )
    # The town keeps its full view.
    town = login("town-xiaolan").get(f"/registry/persons/{case.applicant.public_id}/")
    assert relative.name in town.content.decode()


# Finding 7 ---------------------------------------------------------------------


@pytest.fixture
def health_cases(officers):
    """A type-1 diabetes case and a pre-pregnancy check case, both in Xiaolan."""
    health = officers["health"]
    cases = {}
    for programme in ("t1d_care", "prepregnancy_check"):
        cases[programme] = services.case_register(
            programme=programme,
            applicant=eligible_applicant(programme, XIAOLAN),
            applied_on=dt.date(2015, 9, 1),
            actor=health,
        )
    return cases


def _assert_hidden(text: str, who: str) -> None:
    for word in T1D_LABELS + PREPREGNANCY_LABELS:
        assert word.lower() not in text.lower(), (who, word)


@pytest.mark.parametrize("username", ["office", "auditor", "town-xiaolan"])
def test_health_programmes_are_masked_in_pages_for_non_health_roles(
    health_cases, login, username
):
    """Issue 10, finding 7: no page names a health programme beside a person."""
    client = login(username)
    case = health_cases["t1d_care"]
    queue = client.get("/cases/?status=").content.decode()
    assert case.applicant.name in queue and RESTRICTED_EN in queue
    person = client.get(
        f"/registry/persons/{case.applicant.public_id}/"
    ).content.decode()
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    for text in (queue, person, detail):
        _assert_hidden(text, username)
    assert RESTRICTED_EN in person and RESTRICTED_EN in detail
    # Filtering by the programme would name its persons: it gives no one.
    filtered = client.get("/cases/?status=&programme=t1d_care").content.decode()
    assert case.applicant.name not in filtered


def test_the_health_officer_still_sees_the_programme(health_cases, login):
    page = login("health").get("/cases/?status=").content.decode()
    assert "Free type-1 diabetes care" in page and RESTRICTED_EN not in page


def test_health_programmes_are_masked_in_the_api_and_the_export(
    health_cases, api, login
):
    """Issue 10, finding 7: the API and the CSV say "health_restricted"."""
    case = health_cases["t1d_care"]
    listing = api("town-xiaolan", "get", "/api/v1/cases?status=").json()["items"]
    assert {item["programme"] for item in listing} == {"health_restricted"}
    assert {item["clause"] for item in listing} == {""}
    detail = api("town-xiaolan", "get", f"/api/v1/cases/{case.pk}").json()
    assert (detail["programme"], detail["documents"]) == ("health_restricted", [])
    _assert_hidden(str(detail), "api")
    rows = list(
        csv.reader(
            io.StringIO(
                login("town-xiaolan")
                .get("/cases/export.csv?status=")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert {row[1] for row in rows[1:]} == {"health_restricted"}
    _assert_hidden(str(rows), "csv")
    health = api("health", "get", f"/api/v1/cases/{case.pk}").json()
    assert (health["programme"], health["clause"]) == ("t1d_care", "3.3.2")


def test_the_audit_log_does_not_name_health_programmes(health_cases, login):
    """Issue 10, finding 7: auditors read the log; it ties no one to a health programme."""
    login("office").get(f"/cases/{health_cases['t1d_care'].pk}/")
    entries = AuditEntry.objects.filter(object_type="cases.case")
    assert entries.count() == 3  # two registrations and a view
    for entry in entries:
        assert "health_restricted" in entry.summary
        _assert_hidden(f"{entry.summary} {entry.changes}", entry.summary)
    page = login("auditor").get("/audit/").content.decode()
    _assert_hidden(page, "audit page")


def test_the_export_is_for_the_roles_that_work_cases(health_cases, login):
    """Issue 10, finding 1: the office and the auditor do not export named lists."""
    for username in ("office", "auditor"):
        assert login(username).get("/cases/export.csv").status_code == 403
    assert login("town-xiaolan").get("/cases/export.csv").status_code == 200


def test_an_id_number_searched_for_is_masked_in_the_export_entry(health_cases, login):
    """Issue 10, finding 13: the logged filters never hold a full ID number."""
    number = health_cases["t1d_care"].applicant.id_number
    login("town-xiaolan").get(f"/cases/export.csv?q={number}")
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["filters"] == {"q": mask_id_number(number)}
