"""Refusals (issue 17, acceptance 1): a certificate number that does not match
its holder's ID number, an unknown category or a grade outside 1–4 is refused
with a clear message in the user's language, and nothing is saved."""

import datetime as dt

import pytest
from django.utils import translation

from equiserve.audit.models import AuditEntry
from equiserve.disability import services
from equiserve.disability.models import DisabilityRecord
from equiserve.disability.tests.factories import certificate
from equiserve.testkit import XIAOLAN, make_person

pytestmark = pytest.mark.usefixtures("geography")
DAY = dt.date(2015, 3, 1)


def _register(person, number, category="physical", grade=2):
    return services.disability_register(
        person=person,
        certificate_number=number,
        category=category,
        grade=grade,
        issued_on=DAY,
        actor=None,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("other-person", "does not start with this person's resident ID number"),
        ("category-digit", "category digit 1 does not match"),
        ("grade-digit", "grade digit 3 does not match"),
        ("unknown-category", "Unknown disability category deafness"),
        ("grade-5", "must be 1, 2, 3 or 4, not 5"),
        ("grade-0", "must be 1, 2, 3 or 4, not 0"),
        ("bad-checksum", "18-character resident ID number followed by"),
        ("too-short", "18-character resident ID number followed by"),
    ],
)
def test_a_certificate_that_does_not_match_is_refused_and_nothing_saved(
    change, message
):
    person = make_person(XIAOLAN)
    other = make_person(XIAOLAN)
    number, category, grade = certificate(person, "physical", 2), "physical", 2
    if change == "other-person":
        number = certificate(other, "physical", 2)
    elif change == "category-digit":
        number = person.id_number + "12"
    elif change == "grade-digit":
        number = person.id_number + "43"
    elif change == "unknown-category":
        category = "deafness"
    elif change == "grade-5":
        grade, number = 5, person.id_number + "45"
    elif change == "grade-0":
        grade, number = 0, person.id_number + "40"
    elif change == "bad-checksum":
        last = "0" if person.id_number[17] != "0" else "1"
        number = person.id_number[:17] + last + "42"
    elif change == "too-short":
        number = person.id_number[:17] + "42"
    entries = AuditEntry.objects.count()
    with pytest.raises(services.DisabilityError, match=message):
        _register(person, number, category, grade)
    assert not DisabilityRecord.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_matching_certificate_is_registered_spaces_and_lowercase_x_allowed():
    person = make_person(XIAOLAN)
    spaced = " ".join([person.id_number.lower(), "4", "2"])
    record = _register(person, spaced)
    assert record.certificate_number == person.id_number.upper() + "42"
    with pytest.raises(services.DisabilityError, match="already on the register"):
        _register(person, certificate(person))


def test_the_refusal_is_in_chinese_for_a_chinese_user():
    person = make_person(XIAOLAN)
    with translation.override("zh-hans"), pytest.raises(services.DisabilityError) as e:
        _register(person, person.id_number + "92", category="unknown", grade=7)
    assert "残疾类别" in str(e.value) and "等级" in str(e.value)
    assert not DisabilityRecord.objects.exists()


def test_the_page_and_the_api_refuse_with_the_message(login, token, demo_accounts):
    person = make_person(XIAOLAN, name="王五")
    form = {
        "id_number": person.id_number,
        "name": "王五",
        "certificate_number": person.id_number + "16",
        "category": "vision",
        "grade": "6",
        "issued_on": "2015-03-01",
    }
    page = login("disabled-federation").post("/disability/register/new/", form)
    assert page.status_code == 422
    assert "must be 1, 2, 3 or 4, not 6" in page.content.decode()
    headers = {"Authorization": f"Bearer {token('disabled-federation')}"}
    api = login(None).post(
        "/api/v1/disability/register",
        {**form, "grade": 6},
        content_type="application/json",
        headers=headers,
    )
    assert api.status_code == 422
    assert "must be 1, 2, 3 or 4" in api.json()["detail"]
    assert not DisabilityRecord.objects.exists()
    form["grade"], form["certificate_number"] = "1", person.id_number + "11"
    page = login("disabled-federation").post("/disability/register/new/", form)
    assert page.status_code == 302
    assert DisabilityRecord.objects.get().person == person
