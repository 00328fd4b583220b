"""Issue 10 (trust and security), the housing part: findings 3 and 13.

Finding 13: the public round list showed each applicant's priority group
(disability, elderly) with household size and waiting date, and a negative
migrant quota was silently stored. Finding 3: filing an application by a
household and person id opened that household to the housing department.
"""

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.housing import services
from equiserve.housing.models import AllocationRound, Application, round_reference
from equiserve.housing.tests.factories import (
    AS_OF,
    GUZHEN,
    XIAOLAN,
    apply,
    estate,
    household,
    unit,
)
from equiserve.registry.privacy import mask_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(demo_accounts):
    """A disability-priority household in Xiaolan, one in Guzhen; round r1 frozen."""
    e1 = estate("E1")
    unit(e1, "E1-101")
    xl_home, xl_person = household(
        XIAOLAN, size=4, names=("张三丰", "李四", "王五", "赵六")
    )
    gz_home, gz_person = household(GUZHEN, floor_area="12.00")
    xl = apply(xl_home, xl_person, [e1], disability=True)
    gz = apply(gz_home, gz_person, [e1])
    services.round_freeze(
        round_id="r1", title="Round one", as_of=AS_OF, actor=None, migrant_quota=None
    )
    return {"e1": e1, "xl": xl, "gz": gz, "person": xl_person}


def _post(client, path, body, token):
    return client.post(
        path,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.parametrize("drawn", [False, True])
def test_the_public_round_list_shows_no_priority_group_size_or_waiting_date(
    city, login, drawn
):
    """Issue 10, finding 13: the page publishes references, ranks and outcomes."""
    xl = city["xl"]
    assert xl.priority == "disability" and xl.household_size == 4
    if drawn:
        services.round_draw(round_id="r1", actor=None)
    page = login(None, language="en").get("/housing/rounds/r1/").content.decode()
    assert round_reference("r1", xl.pk) in page
    assert round_reference("r1", city["gz"].pk) in page
    for hidden in (
        "Priority group",
        "Disability",
        "Household size",
        "Waiting since",
        xl.submitted_on.isoformat(),
        "张**",
        mask_id_number(city["person"].id_number),
    ):
        assert hidden not in page, hidden
    if drawn:
        assert "E1-101" in page and "<th>Rank</th>" in page


def test_published_files_name_applications_by_a_reference_keyed_per_round(city, login):
    """Issue 10, finding 13: list.json and round.json carry what recomputing the
    round needs, under a reference that is neither the sequential application
    number nor the same from one round to the next; the application page says it."""
    xl = city["xl"]  # E1-101 does not suit four: left waiting for round r2
    services.round_draw(round_id="r1", actor=None)
    services.round_freeze(
        round_id="r2", title="Round two", as_of=AS_OF, actor=None, migrant_quota=None
    )
    anonymous = login(None)
    published = {
        path: anonymous.get(path).content.decode()
        for path in (
            "/housing/rounds/r1/list.json",
            "/housing/rounds/r1/round.json",
            "/housing/rounds/r2/list.json",
        )
    }
    first, second = round_reference("r1", xl.pk), round_reference("r2", xl.pk)
    assert first != second and len(first) == 17 and first.startswith("R")
    for path, text in published.items():
        assert xl.code not in text and city["gz"].code not in text, path
    assert first in published["/housing/rounds/r1/round.json"]
    assert second in published["/housing/rounds/r2/list.json"]
    assert second not in published["/housing/rounds/r1/list.json"]
    page = login("housing").get(f"/housing/applications/{xl.pk}/").content.decode()
    assert f"<code>{first}</code>" in page and f"<code>{second}</code>" in page


def test_a_negative_migrant_quota_is_refused_by_the_api(city, client, token):
    """Issue 10, finding 13: -5 is a 422 in the API's error format, nothing stored."""
    services.round_draw(round_id="r1", actor=None)
    response = _post(
        client,
        "/api/v1/housing/rounds",
        {"id": "r2", "title": "r2", "as_of": "2015-06-30", "migrant_quota": -5},
        token("housing"),
    )
    assert response.status_code == 422
    body = response.json()
    assert [error["path"] for error in body["errors"]] == ["body.migrant_quota"]
    assert not AllocationRound.objects.filter(pk="r2").exists()


def test_a_migrant_quota_given_is_used_not_replaced_by_the_plans(city, client, token):
    """Issue 10, finding 13: a number given is stored as given, or refused."""
    services.round_draw(round_id="r1", actor=None)
    housing = token("housing")
    both = _post(
        client,
        "/api/v1/housing/rounds",
        {"id": "r2", "title": "r2", "as_of": "2015-06-30", "migrant_quota": 3,
         "plan_quota": True},
        housing,
    )  # fmt: skip
    assert both.status_code == 422
    assert "not both" in both.json()["detail"]
    frozen = _post(
        client,
        "/api/v1/housing/rounds",
        {"id": "r2", "title": "r2", "as_of": "2015-06-30", "migrant_quota": 3},
        housing,
    )
    assert frozen.status_code == 201, frozen.content
    assert AllocationRound.objects.get(pk="r2").migrant_quota == 3


def test_a_negative_migrant_quota_is_a_form_error_on_the_page(city, login):
    """Issue 10, finding 13: the page says what is wrong and freezes nothing."""
    services.round_draw(round_id="r1", actor=None)
    response = login("housing").post(
        "/housing/rounds/new/",
        {"round_id": "r2", "title": "r2", "as_of": "2015-06-30", "migrant_quota": "-5"},
    )
    assert response.status_code == 422
    assert (
        "Ensure this value is greater than or equal to 0." in response.content.decode()
    )
    assert not AllocationRound.objects.filter(pk="r2").exists()


def test_filing_needs_a_members_id_number_and_name(city, client, token, login):
    """Issue 10, finding 3: ids or a number alone do not open a household."""
    home, person = household(XIAOLAN, names=("赵六", "赵七"))
    housing = token("housing")
    body = {
        "household": home.key,
        "applicant_id_number": person.id_number,
        "applicant_name": "赵八",
        "submitted_on": "2015-02-01",
        "preferences": ["E1"],
    }
    wrong = _post(client, "/api/v1/housing/applications", body, housing)
    assert wrong.status_code == 404
    guessed = _post(
        client,
        "/api/v1/housing/applications",
        {**body, "household": home.pk, "applicant": person.pk},
        housing,
    )
    assert guessed.status_code == 422
    assert not Application.objects.filter(household=home).exists()
    assert (
        login("housing").get(f"/registry/persons/{person.public_id}/").status_code
        == 404
    )
    right = _post(
        client,
        "/api/v1/housing/applications",
        {**body, "applicant_name": person.name},
        housing,
    )
    assert right.status_code == 201, right.content
    assert (
        login("housing").get(f"/registry/persons/{person.public_id}/").status_code
        == 200
    )
    page = login("housing").post(
        "/housing/applications/new/",
        {
            "household": home.key,
            "applicant_id_number": person.id_number,
            "applicant_name": "赵八",
            "submitted_on": "2015-03-01",
            "choice_1": city["e1"].pk,
        },
    )
    assert page.status_code == 422
    assert "No member of this household has this ID number and name." in (
        page.content.decode()
    )
    filed = AuditEntry.objects.filter(
        object_type="housing.application", action="create"
    )
    assert filed.filter(actor_username="housing").count() == 1
