"""The case pages: queue, case page with the engine's explanation, decide, history."""

import csv
import datetime as dt
import html
import io

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Case
from equiserve.cases.tests.factories import (
    GUZHEN,
    XIAOLAN,
    eligible_applicant,
    make_person,
)

pytestmark = pytest.mark.django_db


def test_the_queue_filters_by_status_programme_and_town(officers, make_case, login):
    funeral_xl = make_case("funeral", XIAOLAN, assess=True)
    funeral_gz = make_case("funeral", GUZHEN)
    hardship = make_case("hardship_relief", XIAOLAN)
    office = login("office")

    def shown(query):
        page = office.get(f"/cases/?{query}", HTTP_HX_REQUEST="true").content.decode()
        return {c.pk for c in (funeral_xl, funeral_gz, hardship) if c.reference in page}

    assert shown("") == {funeral_xl.pk, funeral_gz.pk, hardship.pk}
    assert shown("status=assessed") == {funeral_xl.pk}
    assert shown("programme=funeral") == {funeral_xl.pk, funeral_gz.pk}
    assert shown(f"town={GUZHEN}") == {funeral_gz.pk}
    assert shown(f"q={hardship.applicant.key}") == {hardship.pk}
    assert shown(f"q={funeral_gz.reference}") == {funeral_gz.pk}
    # The htmx answer is the table alone; the full page carries the filters.
    assert "<form" not in office.get("/cases/", HTTP_HX_REQUEST="true").content.decode()
    full = office.get("/cases/").content.decode()
    assert 'hx-get="/cases/"' in full


def test_the_queue_masks_id_numbers_and_the_export_too(officers, make_case, login):
    case = make_case("funeral")
    number = case.applicant.id_number
    masked = number[:6] + "********" + number[-4:]
    client = login("civil-affairs")
    page = client.get("/cases/").content.decode()
    assert masked in page and number not in page
    export = client.get("/cases/export.csv").content.decode("utf-8-sig")
    from django.utils import translation

    from equiserve.cases.programmes import PROGRAMMES
    from equiserve.formatting import town_name

    with translation.override("en"):
        town = town_name(XIAOLAN)
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[1][:10] == [
        case.reference,
        "funeral",
        PROGRAMMES["funeral"].label_in("en"),
        "3.5",
        "submitted",
        "Submitted",
        XIAOLAN,
        town,
        case.applicant.key,
        masked,
    ]
    # Headings in words, each code followed by its label (issue 14).
    assert rows[0][:6] == [
        "Case reference",
        "Programme code",
        "Programme",
        "Clause",
        "Status code",
        "Status",
    ]
    entry = AuditEntry.objects.filter(action="export", object_type="cases.case").get()
    assert entry.changes["case_id_runs"] == [[case.pk, case.pk]]


def test_the_case_page_explains_the_assessment_in_the_users_language(
    officers, make_case, login
):
    case = make_case("funeral", assess=True)
    assessment = case.assessments.get()
    english = login("civil-affairs").get(f"/cases/{case.pk}/").content.decode()
    text_en = assessment.explanations["en"]["funeral_eligible"]["text"]
    assert text_en.startswith("Eligible for free basic funeral services (clause 3.5)")
    assert html.escape(text_en) in english
    assert "clause 3.5" in english
    # The parameter values used, frozen with the assessment, with their sources.
    assert "funeral.free_storage_days" in english
    chinese = (
        login("civil-affairs", "zh-hans").get(f"/cases/{case.pk}/").content.decode()
    )
    text_zh = assessment.explanations["zh"]["funeral_eligible"]["text"]
    assert html.escape(text_zh) in chinese
    assert text_en not in chinese
    # Every view of a case is logged.
    views = AuditEntry.objects.filter(action="view", object_id=str(case.pk))
    assert views.count() == 2


def test_a_town_officer_assesses_but_the_form_to_decide_is_the_departments(
    officers, make_case, login
):
    case = make_case("funeral", by="town-xiaolan")
    town = login("town-xiaolan")
    page = town.get(f"/cases/{case.pk}/").content.decode()
    assert "Assess with the plan's rules" in page
    assert "Save the decision" not in page
    assessed = town.post(
        f"/cases/{case.pk}/assess/", {"version": 1}, HTTP_HX_REQUEST="true"
    )
    assert assessed.status_code == 200
    assert "Assessed: eligible." in assessed.content.decode()
    refused = town.post(
        f"/cases/{case.pk}/decide/",
        {"version": 2, "decision": "approve", "reason": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 403
    assert "Your role may not “Approve” on this case." in refused.content.decode()
    lead = login("civil-affairs").get(f"/cases/{case.pk}/").content.decode()
    assert "Save the decision" in lead


def test_an_officer_decides_with_a_reason_through_the_htmx_form(
    officers, make_case, login
):
    case = make_case("funeral", assess=True)
    client = login("civil-affairs")
    no_reason = client.post(
        f"/cases/{case.pk}/decide/",
        {"version": 2, "decision": "approve", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert no_reason.status_code == 422
    response = client.post(
        f"/cases/{case.pk}/decide/",
        {
            "version": 2,
            "decision": "approve",
            "reason": "death certificate seen",
            "confirmed": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('\n<div id="case"') or body.lstrip().startswith(
        '<div id="case"'
    )
    assert "Decision saved: Approved." in body
    assert "death certificate seen" in body
    assert "body storage" in body and "3 days" in body
    case.refresh_from_db()
    assert (case.status, case.version) == ("approved", 3)


def test_an_invalid_transition_is_refused_with_a_translated_message(
    officers, make_case, login
):
    case = make_case("funeral")
    response = login("civil-affairs").post(
        f"/cases/{case.pk}/deliver/",
        {
            "version": 1,
            "item": "cremation",
            "quantity": 1,
            "delivered_on": "2015-06-25",
        },
    )
    assert response.status_code == 422
    assert (
        html.escape(
            "“Record a payment or service” is not possible while the case is "
            "“Submitted”; it is possible only when the case is: Approved."
        )
        in response.content.decode()
    )


def test_registering_an_application_through_the_page(officers, login):
    applicant = eligible_applicant("funeral", XIAOLAN)
    client = login("town-xiaolan")
    form = client.get("/cases/new/?programme=funeral").content.decode()
    assert 'name="fact_death_storage_days"' in form
    response = client.post(
        "/cases/new/",
        {
            "programme": "funeral",
            "applicant": applicant.id_number,
            "applied_on": "2015-06-22",
            "fact_death_storage_days": "2",
            "documents": ["death_certificate"],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.applicant, case.town_id, case.created_by.username) == (
        applicant,
        XIAOLAN,
        "town-xiaolan",
    )
    assert case.facts == {"death_storage_days": 2}
    guzhen = eligible_applicant("funeral", GUZHEN)
    other = client.post(
        "/cases/new/",
        {"programme": "funeral", "applicant": guzhen.key, "applied_on": "2015-06-22"},
    )
    assert other.status_code == 404
    assert f"No person with the number “{guzhen.key}” in your area." in html.unescape(
        other.content.decode()
    )


def test_the_households_history_of_cases(officers, make_case, login):
    first = make_case("funeral")
    widow = make_person(
        XIAOLAN,
        household=first.household,
        hukou="elsewhere",
        hardship_cause="illness",
        hardship_date=dt.date(2015, 6, 1),
    )
    second = make_case("hardship_relief", applicant=widow)
    elsewhere = make_case("funeral", GUZHEN)
    page = login("town-xiaolan").get(f"/cases/households/{first.household.public_id}/")
    body = page.content.decode()
    assert first.reference in body and second.reference in body
    assert elsewhere.reference not in body
    case_page = login("town-xiaolan").get(f"/cases/{first.pk}/").content.decode()
    assert second.reference in case_page  # the household's other cases
    person_page = (
        login("town-xiaolan")
        .get(f"/registry/persons/{widow.public_id}/")
        .content.decode()
    )
    assert second.reference in person_page  # the cases block of the person page
