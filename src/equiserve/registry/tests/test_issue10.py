"""Issue 10 (trust and security), the registry's part: findings 1, 3 and 13.

Finding 1: a masked ID number hides exactly the birth date, so nothing shown
beside it may give the date back. Finding 3: persons and households are
addressed by random public ids. Finding 13: an ID number typed as a search
term is masked in the audit entry.
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from equiserve.audit.models import AuditEntry
from equiserve.registry.privacy import mask_id_number
from equiserve.testkit import XIAOLAN, make_household, make_person

BIRTH = dt.date(1952, 3, 16)


@pytest.fixture
def elder(demo_accounts):
    """A person born 1952-03-16 in Xiaolan, with a household member."""
    home = make_household(XIAOLAN, key="h-elder")
    person = make_person(XIAOLAN, key="p-elder", birth_date=BIRTH, household=home)
    make_person(XIAOLAN, key="p-elder-2", household=home)
    return person


def _full_dates(text: str) -> set[str]:
    return set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text))


def test_lists_show_the_year_of_birth_beside_a_masked_number(elder, login):
    """Issue 10, finding 1: the list and the members table give no birth date."""
    client = login("town-xiaolan")
    listing = client.get("/registry/persons/").content.decode()
    assert mask_id_number(elder.id_number) in listing
    assert "1952-03-16" not in listing
    assert "<td>1952</td>" in listing
    # The other member's page lists this person masked, with the year only.
    other = elder.household.members.exclude(pk=elder.pk).get()
    page = client.get(f"/registry/persons/{other.public_id}/").content.decode()
    assert mask_id_number(elder.id_number) in page and "1952-03-16" not in page
    household = client.get(f"/registry/households/{elder.household.public_id}/")
    assert "1952-03-16" not in household.content.decode()


def test_the_export_gives_the_year_of_birth_only(elder, login):
    """Issue 10, finding 1: an exported row cannot be rebuilt into the ID number."""
    response = login("town-xiaolan").get("/registry/persons/export.xlsx")
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][4] == "year of birth"
    row = next(row for row in rows[1:] if row[0] == "p-elder")
    assert (row[2], row[4]) == (mask_id_number(elder.id_number), 1952)
    assert not any(isinstance(cell, dt.date) for row in rows for cell in row)


@pytest.mark.parametrize("username", ["office", "auditor", "education", "health"])
def test_only_town_officers_export_persons(elder, login, username):
    """Issue 10, finding 1: an export is bulk access, for those who keep the registry."""
    client = login(username)
    assert client.get("/registry/persons/export.xlsx").status_code == 403
    assert "export.xlsx" not in client.get("/registry/persons/").content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_api_list_gives_the_year_and_logs_the_page(elder, client, token):
    """Issue 10, finding 1: an API page of 500 could be rebuilt; now it cannot."""
    headers = {"Authorization": f"Bearer {token('office')}"}
    page = client.get("/api/v1/persons?q=p-elder", headers=headers).json()
    (item,) = page["items"]
    assert (item["id_number"], item["birth_year"]) == (
        mask_id_number(elder.id_number),
        1952,
    )
    assert "birth_date" not in item
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_username, entry.changes["person_id_runs"]) == (
        "office",
        [[elder.pk, elder.pk]],
    )
    # The full record, logged as a view, still gives the date.
    detail = client.get(f"/api/v1/persons/{elder.public_id}", headers=headers).json()
    assert (detail["id_number"], detail["birth_date"]) == (
        elder.id_number,
        "1952-03-16",
    )


def test_an_audited_change_of_birth_date_keeps_the_year_only(elder):
    """Issue 10, finding 1: the audit summary never pairs the masked number and date."""
    from equiserve.registry.services import registry_change_record

    before = {"id_number": elder.id_number, "birth_date": elder.birth_date}
    elder.birth_date = dt.date(1952, 3, 17)
    registry_change_record(actor=None, instance=elder, before=before, action="update")
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {"birth_date": ["1952", "1952"]}
    assert not _full_dates(str(entry.changes))


def test_persons_and_households_are_not_addressed_by_sequential_ids(
    elder, login, client, token
):
    """Issue 10, finding 3: the sequential pk opens nothing; the public id is random."""
    page = login("office")
    assert page.get(f"/registry/persons/{elder.pk}/").status_code == 404
    assert page.get(f"/registry/households/{elder.household.pk}/").status_code == 404
    assert page.get(f"/registry/persons/{elder.public_id}/").status_code == 200
    headers = {"Authorization": f"Bearer {token('office')}"}
    assert client.get(f"/api/v1/persons/{elder.pk}", headers=headers).status_code == 404
    listing = client.get("/api/v1/persons?q=p-elder", headers=headers).json()
    assert listing["items"][0]["id"] == str(elder.public_id)
    others = [make_person(XIAOLAN) for _ in range(3)]
    ids = [person.public_id.int for person in [elder, *others]]
    # Neither consecutive nor ordered like the pks: a guess finds no neighbour.
    assert all(abs(b - a) > 1 for a, b in zip(ids, ids[1:], strict=False))


def test_an_id_number_searched_for_is_masked_in_the_audit_entry(elder, login):
    """Issue 10, finding 13: the export's logged filters hold no full ID number."""
    response = login("town-xiaolan").get(
        f"/registry/persons/export.xlsx?q={elder.id_number}"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["filters"] == {"q": mask_id_number(elder.id_number)}
    assert elder.id_number not in str(entry.changes)
    # A name searched for is kept as typed.
    login("town-xiaolan").get("/registry/persons/export.xlsx?q=测试")
    latest = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert latest.changes["filters"] == {"q": "测试"}


@pytest.mark.django_db(transaction=True)
def test_existing_persons_and_households_each_get_their_own_public_id(geography):
    """Issue 10, finding 3: the migrations keep existing rows and give each a UUID."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from equiserve.testkit import id_number

    before, after = (
        ("registry", "0002_person_constraints"),
        (
            "registry",
            "0005_public_ids_required",
        ),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    home = old.get_model("registry", "Household").objects.create(
        key="h-old", town_id=XIAOLAN
    )
    for number in range(3):
        old.get_model("registry", "Person").objects.create(
            key=f"p-old-{number}",
            id_number=id_number(dt.date(1960, 1, 1), number),
            name="旧",
            birth_date=dt.date(1960, 1, 1),
            sex="F",
            hukou="zhongshan",
            town_id=XIAOLAN,
            household_id=home.pk,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    ids = list(
        new.get_model("registry", "Person").objects.values_list("public_id", flat=True)
    )
    assert len(ids) == len(set(ids)) == 3 and None not in ids
    assert new.get_model("registry", "Household").objects.get().public_id is not None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
