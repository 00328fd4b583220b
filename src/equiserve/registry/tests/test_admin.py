"""The Django admin applies the registry's scope, masks lists and logs views."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from equiserve.audit.models import AuditEntry
from equiserve.registry.privacy import mask_id_number


@pytest.fixture
def staff_town_officer(demo_accounts, django_user_model):
    """town-xiaolan, made staff with the registry's model permissions."""
    user = django_user_model.objects.get(username="town-xiaolan")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registry")
    )
    client = Client()
    client.cookies["django_language"] = "en"
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    return client


def test_the_office_reads_the_admin_list_masked_and_cannot_change(people, login):
    client = login("office")
    listing = client.get("/admin/registry/person/").content.decode()
    person = people["guzhen"]
    assert (
        mask_id_number(person.id_number) in listing and person.id_number not in listing
    )
    page = client.get(f"/admin/registry/person/{person.pk}/change/")
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
    refused = client.post(f"/admin/registry/person/{person.pk}/change/", {"name": "x"})
    assert refused.status_code == 403
    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor_username, entry.changes) == ("office", {"channel": "admin"})


def test_a_staff_town_officer_sees_and_edits_their_town_only(
    people, staff_town_officer
):
    listing = staff_town_officer.get("/admin/registry/person/").content.decode()
    assert "p-xl" in listing and "p-gz" not in listing
    other = staff_town_officer.get(
        f"/admin/registry/person/{people['guzhen'].pk}/change/"
    )
    assert other.status_code == 302  # the admin's answer for a record it cannot find
    person = people["xiaolan"]
    form = staff_town_officer.get(f"/admin/registry/person/{person.pk}/change/")
    assert 'name="name"' in form.content.decode()
    response = staff_town_officer.post(
        f"/admin/registry/person/{person.pk}/change/",
        {
            "key": person.key,
            "id_number": person.id_number,
            "name": "王改名",
            "household": person.household_id,
            "birth_date": "1990-01-01",
            "sex": person.sex,
            "hukou": "elsewhere",
            "hukou_kind": "",
            "town": "442000100",
            "school_stage": "none",
            "veteran_kind": "",
            "hardship_cause": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="update")
    assert (entry.actor_username, entry.object_type, entry.object_id) == (
        "town-xiaolan",
        "registry.person",
        str(person.pk),
    )
    assert entry.changes == {
        "name": [person.name, "王改名"],
        "hukou": ["zhongshan", "elsewhere"],
    }


def test_health_records_are_hidden_from_the_admin_of_other_roles(people, login):
    assert login("office").get("/admin/registry/personhealth/").status_code == 403
    index = login("office").get("/admin/").content.decode()
    assert "/admin/registry/person/" in index
    assert "/admin/registry/personhealth/" not in index
