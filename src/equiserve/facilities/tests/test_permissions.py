"""Facility writes are scoped like reads (issue 10, finding 4).

A department officer writes only the kinds its department runs, a town officer
only in its own town; the office, auditors and health officers never write.
Imports, the page, the admin and the command line all follow the same rule.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from typer.testing import CliRunner

from equiserve.accounts.models import Department, Role
from equiserve.cli import app
from equiserve.facilities.models import Facility, Kind
from equiserve.facilities.permissions import (
    KIND_DEPARTMENTS,
    may_write_facility,
    writes_facilities,
)
from equiserve.facilities.services import facilities_import
from equiserve.facilities.tests.factories import (
    TOWN_A,
    TOWN_B,
    make_facility,
)
from equiserve.testkit import make_officer

pytestmark = pytest.mark.django_db
HEADER = "code,kind,name_zh,town,lon,lat"
OUT_OF_REACH = (
    "you may not write this facility: only your department's kinds, or your town's"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(two_towns):
    return {
        "culture": make_officer("culture", Role.DEPARTMENT, department="culture"),
        "sports": make_officer("sports", Role.DEPARTMENT, department="sports"),
        "civil": make_officer("civil", Role.DEPARTMENT, department="civil-affairs"),
        "town-a": make_officer("town-a", Role.TOWN, town=two_towns["a"]),
        "office": make_officer("office", Role.OFFICE),
        "auditor": make_officer("auditor", Role.AUDITOR),
        "health": make_officer("health", Role.HEALTH),
    }


def run_import(actor, *rows: str):
    content = "\n".join([HEADER, *rows]).encode()
    return facilities_import(content=content, filename="f.csv", actor=actor)


def test_every_kind_has_one_lead_department():
    assert set(KIND_DEPARTMENTS) == set(Kind.values)
    assert set(KIND_DEPARTMENTS.values()) == {
        Department.CULTURE,
        Department.SPORTS,
        Department.EDUCATION,
        Department.DISABLED_FEDERATION,
    }


def test_the_write_rule_by_role_kind_and_town(people):
    def may(name, kind, town=TOWN_A):
        return may_write_facility(people[name], kind=kind, town_code=town)

    assert may("culture", Kind.LIBRARY, TOWN_B)
    assert not may("culture", Kind.FITNESS_GROUND)
    assert may("sports", Kind.FITNESS_GROUND, TOWN_B)
    assert not may("sports", Kind.LIBRARY)
    assert not may("civil", Kind.LIBRARY)
    assert may("town-a", Kind.LIBRARY) and may("town-a", Kind.FITNESS_GROUND)
    assert not may("town-a", Kind.LIBRARY, TOWN_B)
    for name in ("office", "auditor", "health"):
        assert not may(name, Kind.LIBRARY)
        assert not writes_facilities(people[name])
    assert not writes_facilities(people["civil"])
    assert not may_write_facility(None, kind=Kind.LIBRARY, town_code=TOWN_A)


def test_the_office_cannot_import_and_nothing_is_written(people):
    report = run_import(people["office"], f"L1,library,图书馆,{TOWN_A},113.2,22.6")
    assert [str(issue) for issue in report.errors] == ["you may not import facilities"]
    assert not Facility.objects.exists()


def test_a_department_imports_only_its_kinds_all_or_nothing(people):
    report = run_import(
        people["culture"],
        f"L1,library,图书馆,{TOWN_B},113.2,22.6",
        f"F1,fitness_ground,健身苑,{TOWN_A},113.2,22.6",
    )
    assert [str(issue) for issue in report.errors] == [f"row 3: {OUT_OF_REACH}"]
    assert not Facility.objects.exists()
    report = run_import(people["culture"], f"L1,library,图书馆,{TOWN_B},113.2,22.6")
    assert report.ok and report.saved["created"] == ["L1"]


def test_a_town_officer_imports_only_in_its_town(people):
    report = run_import(people["town-a"], f"F1,fitness_ground,健身苑,{TOWN_B},113,22")
    assert [str(issue) for issue in report.errors] == [f"row 2: {OUT_OF_REACH}"]
    report = run_import(people["town-a"], f"F1,fitness_ground,健身苑,{TOWN_A},113,22")
    assert report.ok and report.saved["created"] == ["F1"]


def test_an_import_cannot_take_over_or_move_another_ones_facility(people, two_towns):
    make_facility(Kind.FITNESS_GROUND, two_towns["b"], code="F-B")
    make_facility(Kind.LIBRARY, two_towns["a"], code="L-A")
    # The town officer of A may not pull town B's garden into town A ...
    moved = run_import(people["town-a"], f"F-B,fitness_ground,健身苑,{TOWN_A},113,22")
    # ... nor may the culture bureau turn a sports ground into a library.
    turned = run_import(people["culture"], f"F-B,library,图书馆,{TOWN_B},113,22")
    # ... nor the town officer move its library to town B.
    pushed = run_import(people["town-a"], f"L-A,library,图书馆,{TOWN_B},113,22")
    for report in (moved, turned, pushed):
        assert [str(issue) for issue in report.errors] == [f"row 2: {OUT_OF_REACH}"]
    assert Facility.objects.get(code="F-B").town_id == TOWN_B
    assert Facility.objects.get(code="F-B").kind == Kind.FITNESS_GROUND
    assert Facility.objects.get(code="L-A").town_id == TOWN_A


def test_the_import_page_is_a_404_for_the_office_and_auditors(client, people):
    for name in ("office", "auditor", "civil"):
        client.force_login(people[name])
        assert client.get(reverse("facilities:import")).status_code == 404
        upload = io.BytesIO(f"{HEADER}\nL1,library,tsg,{TOWN_A},113,22\n".encode())
        upload.name = "f.csv"
        response = client.post(reverse("facilities:import"), {"file": upload})
        assert response.status_code == 404
    assert not Facility.objects.exists()


def test_the_page_form_follows_the_same_rule(client, people):
    client.force_login(people["sports"])
    upload = io.BytesIO(f"{HEADER}\nL1,library,tsg,{TOWN_A},113,22\n".encode())
    upload.name = "f.csv"
    client.cookies["django_language"] = "en"
    response = client.post(reverse("facilities:import"), {"file": upload})
    # The one import page answers a file with problems 422 (issue 11, deliverable 6).
    assert response.status_code == 422
    assert OUT_OF_REACH.replace("'", "&#x27;") in response.content.decode()
    assert not Facility.objects.exists()


def test_the_command_line_imports_as_a_named_user(people, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(f"{HEADER}\nL1,library,tsg,{TOWN_A},113,22\n")
    runner = CliRunner()
    as_office = runner.invoke(
        app, ["facilities", "import", str(path), "--user", "office"]
    )
    assert as_office.exit_code == 1 and not Facility.objects.exists()
    unknown = runner.invoke(
        app, ["facilities", "import", str(path), "--user", "nobody"]
    )
    assert unknown.exit_code == 2 and "no active user 'nobody'" in unknown.output
    as_culture = runner.invoke(
        app, ["facilities", "import", str(path), "--user", "culture"]
    )
    assert as_culture.exit_code == 0, as_culture.output
    assert Facility.objects.get(code="L1").kind == Kind.LIBRARY


def test_only_the_sports_bureau_replaces_the_road_network(people, tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry":'
        ' {"type": "LineString", "coordinates": [[113.25, 22.65], [113.26, 22.65]]}}]}'
    )
    runner = CliRunner()
    refused = runner.invoke(
        app, ["access", "network-import", str(path), "--user", "culture"]
    )
    assert refused.exit_code == 1 and "may not import a road network" in refused.output
    done = runner.invoke(
        app, ["access", "network-import", str(path), "--user", "sports"]
    )
    assert done.exit_code == 0 and "2 nodes, 1 edges" in done.output


def test_the_admin_follows_the_same_rule(client, people, two_towns):
    garden = make_facility(Kind.FITNESS_GROUND, two_towns["a"], code="F-A")
    staff = people["culture"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="facilities")
    )
    client.force_login(staff)
    url = reverse("admin:facilities_facility_change", args=[garden.pk])
    # The culture bureau may look at the sports ground, not change or delete it.
    response = client.post(url, {"code": "F-A", "kind": "library"})
    assert response.status_code == 403
    delete = reverse("admin:facilities_facility_delete", args=[garden.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Facility.objects.get(code="F-A").kind == Kind.FITNESS_GROUND
    admin = get_user_model().objects.create_superuser("root", password="pw-123456!")
    client.force_login(admin)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Facility.objects.filter(code="F-A").exists()
