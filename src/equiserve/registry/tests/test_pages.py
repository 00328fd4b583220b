"""The registry's pages: filtering and paging with htmx, the record, the household."""

import copy
import datetime as dt
from pathlib import Path

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.registry import sections
from equiserve.testkit import GUZHEN, XIAOLAN, make_person


def _keys(response) -> list[str]:
    return [person.key for person in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["p-gz", "p-xl", "p-xl-2", "p-xl-3"]),
        ("?town=442000105", ["p-gz"]),
        ("?hukou=elsewhere", ["p-xl-3"]),
        ("?q=李", ["p-xl-3"]),
        ("?q=p-xl-2", ["p-xl-2"]),
        ("?hukou=nonsense", ["p-gz", "p-xl", "p-xl-2", "p-xl-3"]),
    ],
)
def test_the_list_filters_by_town_hukou_and_name(people, login, query, expected):
    make_person(XIAOLAN, key="p-xl-3", name="李四", hukou="elsewhere")
    response = login("office").get(f"/registry/persons/{query}")
    assert _keys(response) == expected


def test_the_list_finds_a_person_by_the_full_id_number(people, login):
    person = people["guzhen"]
    response = login("office").get(f"/registry/persons/?q={person.id_number.lower()}")
    assert _keys(response) == ["p-gz"]


def test_htmx_pages_through_the_table_only(people, login):
    for number in range(60):
        make_person(GUZHEN, key=f"p-page-{number:02d}", birth_date=dt.date(1995, 1, 1))
    client = login("town-guzhen")
    response = client.get(
        "/registry/persons/?town=442000105&page=2", headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page and "61 persons" in page and "Page 2 of 2" in page
    assert _keys(response) == [f"p-page-{n:02d}" for n in range(49, 60)]
    assert 'hx-get="?town=442000105&amp;page=1"' in page
    # The export link follows the filters, so it exports what the table shows.
    assert 'href="/registry/persons/export.xlsx?town=442000105&amp;"' in page


def test_the_person_page_shows_household_and_its_history(people, login, demo_accounts):
    person = people["xiaolan"]
    audit_record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        object_type="registry.household",
        object_id=people["xiaolan_home"].pk,
        town_code=XIAOLAN,
        summary="update registry.household h-xl",
    )
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        object_type="registry.import",
        object_id="town.csv",
        town_code=XIAOLAN,
        summary="imported 1 persons and 0 households from town.csv",
        changes={"person_id_runs": [[people["xiaolan_child"].pk] * 2]},
    )
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        object_type="registry.import",
        object_id="other.csv",
        town_code=XIAOLAN,
        summary="imported 9 persons from other.csv",
        changes={"person_id_runs": [[10**6, 10**6 + 9]]},
    )
    response = login("town-xiaolan").get(f"/registry/persons/{person.public_id}/")
    page = response.content.decode()
    assert [member.key for member in response.context["members"]] == ["p-xl", "p-xl-2"]
    assert [entry.summary for entry in response.context["history"]] == [
        "imported 1 persons and 0 households from town.csv",
        "update registry.household h-xl",
    ]
    assert f'href="/registry/persons/{people["xiaolan_child"].public_id}/"' in page
    assert 'class="health"' not in page


def test_the_household_page_lists_members_and_logs_the_view(people, login):
    home = people["guzhen_home"]
    response = login("auditor").get(f"/registry/households/{home.public_id}/")
    assert [member.key for member in response.context["members"]] == ["p-gz"]
    entry = AuditEntry.objects.get(action="view")
    assert (entry.object_type, entry.object_id, entry.town_code) == (
        "registry.household",
        str(home.pk),
        GUZHEN,
    )


def test_other_apps_add_sections_to_the_person_page(
    people, login, monkeypatch, settings
):
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = [engine]
    monkeypatch.setattr(sections, "_SECTIONS", {})
    sections.register_person_section(
        "_test_section.html",
        lambda request, person: {"greeting": f"cases of {person.key}"},
    )
    page = login("office").get(f"/registry/persons/{people['xiaolan'].public_id}/")
    assert '<p id="section">cases of p-xl</p>' in page.content.decode()
