"""Applications: eligibility from the engine with its explanation; the waiting list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import translation

from equiserve.housing import selectors, services
from equiserve.housing.models import Application
from equiserve.housing.tests.factories import GUZHEN, apply, estate, household

pytestmark = pytest.mark.django_db


def test_an_eligible_registered_household_joins_the_list_with_the_engines_reasons(
    geography,
):
    home, person = household(size=2, floor_area="20.00", income="30000.00")
    application = apply(home, person, [estate("E1")])
    assert application.status == "waiting"
    assert application.eligible is True
    assert application.explanation["en"]["text"] == (
        "Eligible for public rental housing (clause 3.8): the household size is "
        "known (2 persons); a registered household holds urban registration "
        "(urban: yes); a registered household's monthly income per person is "
        "at most ¥2,428.00 (¥1,250.00); a registered household's floor area "
        "per person is at most 15 m² per person (10 m² per person)."
    )
    assert application.explanation["zh"]["text"].startswith(
        "符合公共租赁住房申请资格（第3.8条）"
    )
    # 5 m² a head under the 15 m² line, at 10 points a m².
    assert (application.score, application.priority) == (50, "")
    assert (application.household_size, application.migrant) == (2, False)
    assert application.ranking_version == "1"
    assert [p.estate.code for p in application.preferences.all()] == ["E1"]


def test_a_household_over_the_floor_area_line_is_recorded_as_not_eligible(geography):
    home, person = household(size=2, floor_area="30.01")
    application = apply(home, person)
    assert (application.status, application.eligible) == ("not_eligible", False)
    assert application.explanation["en"]["text"] == (
        "Not eligible for public rental housing (clause 3.8): the condition “a "
        "registered household's floor area per person is at most 15 m² per person "
        "(15.01 m² per person)” does not hold."
    )


def test_migrants_qualify_through_points_and_score_the_points_above_the_minimum(
    geography,
):
    home, person = household(
        size=1, hukou="elsewhere", points=130, floor_area="12.00", income="20000.00"
    )
    application = apply(home, person)
    assert (application.status, application.migrant) == ("waiting", True)
    # 30 points over 100, plus 3 m² under 15 at 10 a m².
    assert application.score == 60
    short, short_person = household(
        size=1, hukou="elsewhere", points=99, floor_area="12.00", income="20000.00"
    )
    refused = apply(short, short_person)
    assert refused.status == "not_eligible"
    assert "best score: 99 points" in refused.explanation["en"]["text"]


def test_half_points_are_compared_exactly_with_the_migrants_minimum(geography):
    # Issue 12, point 5: 99.5 points is half a point short of 100, not 99 or 100.
    short, short_person = household(
        size=1, hukou="elsewhere", points=Decimal("99.5"), floor_area="12.00",
        income="20000.00",
    )  # fmt: skip
    refused = apply(short, short_person)
    assert refused.status == "not_eligible"
    assert "best score: 99.5 points" in refused.explanation["en"]["text"]
    home, person = household(
        size=1, hukou="elsewhere", points=Decimal("100.5"), floor_area="12.00",
        income="20000.00",
    )  # fmt: skip
    application = apply(home, person)
    assert application.status == "waiting"
    # 0.5 points over 100 plus 3 m² under 15 at 10 a m², rounded down: 30.
    assert application.score == 30


def test_a_household_waits_once_and_only_its_members_apply(geography):
    home, person = household()
    apply(home, person)
    with pytest.raises(services.HousingError, match="already on the waiting list"):
        apply(home, person)
    other, stranger = household()
    with pytest.raises(services.HousingError, match="not a member"):
        apply(home, stranger)
    # The database holds the rule even past the service.
    first = Application.objects.get(household=home)
    first.pk = None
    with pytest.raises(IntegrityError):
        first.save()


def test_reassessing_moves_an_application_off_the_list_when_the_facts_change(
    geography,
):
    home, person = household(size=2, floor_area="20.00")
    application = apply(home, person)
    home.floor_area_m2 = 60
    home.save()
    services.application_reassess(
        application=application, date=dt.date(2015, 7, 1), actor=None
    )
    application.refresh_from_db()
    assert (application.status, application.assessed_on) == (
        "not_eligible",
        dt.date(2015, 7, 1),
    )


@pytest.fixture
def waiting(geography, demo_accounts):
    """Seven waiting households; see the positions in the test below."""
    e1 = estate("E1")
    made = {}

    def add(name, *, disability=False, submitted=dt.date(2015, 1, 5), **facts):
        home, person = household(**facts)
        made[name] = apply(
            home, person, [e1], disability=disability, submitted_on=submitted
        )

    add("disabled", disability=True)
    add("elderly", birth_dates=(dt.date(1950, 1, 1),))
    add("elderly_refuser", birth_dates=(dt.date(1950, 1, 1),), floor_area="10.00")
    add("low_income", low_income=True)
    add("crowded", floor_area="10.00")  # score 100
    add("level_a")  # score 50
    add("level_b")
    add("later", submitted=dt.date(2015, 2, 1), town=GUZHEN)
    Application.objects.filter(pk=made["elderly_refuser"].pk).update(refusals=2)
    return made


def test_the_waiting_list_gives_each_household_its_position_and_why(waiting):
    with translation.override("en"):
        entries = selectors.waiting_list(user=_user("housing"))
    by_name = {
        name: next(e for e in entries if e.application.pk == app.pk)
        for name, app in waiting.items()
    }
    positions = {name: entry.position for name, entry in by_name.items()}
    assert positions == {
        "disabled": 1,
        "elderly": 2,
        # Two refusals reach the limit: last of its group, before the next group.
        "elderly_refuser": 3,
        "low_income": 4,
        "crowded": 5,
        "level_a": 6,
        "level_b": 6,
        "later": 8,
    }
    assert by_name["level_a"].reasons == (
        "in no priority group",
        "score 50",
        "waiting since 2015-01-05",
        "level with 1 other households: the draw's lottery orders them",
    )
    assert by_name["elderly_refuser"].reasons == (
        "priority group: Households with a member aged 60 or over",
        "score 100",
        "waiting since 2015-01-05",
        "moved down after refusing 2 offers (limit 2)",
    )
    with translation.override("zh-hans"):
        entry = selectors.waiting_entry(waiting["elderly"])
        assert entry.reason == "；".join(entry.reasons)
    assert "有60周岁以上成员的家庭" in entry.reasons[0]
    assert selectors.waiting_entry(waiting["level_b"]).position == 6
    assert selectors.waiting_entry(waiting["later"]).position == 8


def test_a_town_officer_sees_the_city_wide_positions_of_their_own_town(waiting):
    entries = selectors.waiting_list(user=_user("town-guzhen"))
    assert [(e.application.pk, e.position) for e in entries] == [
        (waiting["later"].pk, 8)
    ]


def _user(username):
    return get_user_model().objects.get(username=username)


def test_the_waiting_list_takes_as_many_queries_for_many_households_as_for_few(
    waiting,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = _user("town-xiaolan")
    with CaptureQueriesContext(connection) as few:
        selectors.waiting_list(user=user)
    for _ in range(5):
        home, person = household()
        apply(home, person)
    user = _user("town-xiaolan")
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.waiting_list(user=user)) == 12
    assert len(many) == len(few) == 3
