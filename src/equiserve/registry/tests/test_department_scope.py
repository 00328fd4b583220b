"""Department and health officers see the persons who appear in their cases.

Needs the cases app (`equiserve.cases`); without it these officers see no one,
which `test_permissions` covers.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from equiserve.registry.models import PersonHealth

pytestmark = pytest.mark.skipif(
    not apps.is_installed("equiserve.cases"), reason="the cases app is not installed"
)


def _case(programme: str, applicant, claimant=None):
    case_model = apps.get_model("cases", "Case")
    officer = get_user_model().objects.get(username="office")
    return case_model.objects.create(
        programme=programme,
        applicant=applicant,
        claimant=claimant,
        town_id=applicant.town_id,
        household=applicant.household,
        applied_on=dt.date(2015, 6, 1),
        created_by=officer,
        updated_by=officer,
    )


def _api(client, token, username, path):
    return client.get(path, headers={"Authorization": f"Bearer {token(username)}"})


def test_department_sees_the_persons_of_its_cases(people, login, client, token):
    _case("hardship_relief", people["xiaolan"])
    civil = login("civil-affairs")
    person = civil.get(f"/registry/persons/{people['xiaolan'].public_id}/")
    assert person.status_code == 200
    assert (
        civil.get(f"/registry/persons/{people['guzhen'].public_id}/").status_code == 404
    )
    # Issue 10, finding 3: a case shows its persons, not their household (its
    # income, assets and other members).
    home = civil.get(f"/registry/households/{people['xiaolan_home'].public_id}/")
    assert home.status_code == 404
    page = person.content.decode()
    assert people["xiaolan_child"].name not in page
    assert f"/registry/households/{people['xiaolan_home'].public_id}/" not in page
    listing = _api(client, token, "civil-affairs", "/api/v1/persons").json()
    assert [item["key"] for item in listing["items"]] == ["p-xl"]
    # Another department's case gives the education officer nothing.
    education = login("education")
    assert (
        education.get(f"/registry/persons/{people['xiaolan'].public_id}/").status_code
        == 404
    )


def test_a_person_applying_on_someones_behalf_appears_in_the_case(people, login):
    _case("funeral", people["guzhen"], claimant=people["xiaolan_child"])
    civil = login("civil-affairs")
    keys = [p.key for p in civil.get("/registry/persons/").context["page"]]
    assert keys == ["p-gz", "p-xl-2"]


def test_only_health_officers_see_health_details(people, login, client, token):
    person = people["xiaolan"]
    PersonHealth.objects.create(
        person=person, t1d_diagnosed=dt.date(2012, 3, 4), t1d_hospital_grade="3A"
    )
    _case("t1d_care", person)
    _case("hardship_relief", person)
    page = (
        login("health").get(f"/registry/persons/{person.public_id}/").content.decode()
    )
    assert 'class="health"' in page and "2012-03-04" in page
    detail = _api(client, token, "health", f"/api/v1/persons/{person.public_id}").json()
    assert detail["health"] == {
        "t1d_diagnosed": "2012-03-04",
        "t1d_hospital_grade": "3A",
    }
    for username in ("civil-affairs", "office", "auditor", "town-xiaolan"):
        page = (
            login(username)
            .get(f"/registry/persons/{person.public_id}/")
            .content.decode()
        )
        assert 'class="health"' not in page and "2012-03-04" not in page, username
        detail = _api(
            client, token, username, f"/api/v1/persons/{person.public_id}"
        ).json()
        assert detail["health"] is None, username


def test_health_records_in_the_admin_are_for_health_officers(people, demo_accounts):
    person = people["xiaolan"]
    PersonHealth.objects.create(person=person, t1d_diagnosed=dt.date(2012, 3, 4))
    _case("t1d_care", person)
    user = get_user_model().objects.get(username="health")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registry")
    )
    client = Client()
    client.login(username="health", password="demo-health")
    listing = client.get("/admin/registry/personhealth/")
    assert listing.status_code == 200 and person.name in listing.content.decode()
