"""The migrants' free family-planning services (3.3.4; issue 16, deliverable 3).

The engine decides who may have a service; the coverage indicator is counted
from the records over the population the engine finds eligible, split by
registration, and follows a new record once the worker has run.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from equiserve.audit.models import AuditEntry
from equiserve.health import services
from equiserve.health.demo import health_demo_load
from equiserve.health.models import MigrantService
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.tests.conftest import run_worker
from equiserve.monitoring.values import compute
from equiserve.registry.models import Person
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_person

CODE = "health.migrant_family_planning_coverage"
DAY = dt.date(2016, 12, 31)
PERIOD = "2016H2"


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _by_hand(day):
    """Count apart from the engine and the indicator: the plan's reading of 3.3.4.

    Eligible: registered elsewhere, living in the city on the day (0 months,
    the project's reading), aged 15 or more, alive. Served: a service in the
    twelve months ending on the day. Returns {registration: (served, eligible)}.
    """
    start = dt.date(day.year - 1, day.month, day.day)
    served_people = set(
        MigrantService.objects.filter(
            delivered_on__gt=start, delivered_on__lte=day
        ).values_list("person_id", flat=True)
    )
    counts = {"zhongshan": [0, 0], "elsewhere": [0, 0]}
    for pk, hukou, since, birth, death in Person.objects.values_list(
        "pk", "hukou", "resident_since", "birth_date", "death_date"
    ):
        if hukou != "elsewhere" or since is None or since > day:
            continue
        if (death and death <= day) or _age(birth, day) < 15:
            continue
        counts[hukou][1] += 1
        counts[hukou][0] += pk in served_people
    return {k: tuple(v) for k, v in counts.items()}


def _migrant(town=XIAOLAN, since=dt.date(2012, 3, 1), birth=dt.date(1988, 4, 2)):
    return make_person(town, hukou="elsewhere", resident_since=since, birth_date=birth)


@pytest.fixture
def city(demo_accounts):
    """Registered residents and migrants of every standing, then the health demo."""
    for number in range(60):
        town = (SHIQI, XIAOLAN, GUZHEN)[number % 3]
        make_person(town, birth_date=dt.date(1960 + number % 40, 1 + number % 12, 1))
        # Migrants: arrived over 2012–2016, aged 5 to 64 at the plan's end.
        _migrant(
            town,
            since=dt.date(2012 + number % 5, 1 + number % 12, 1 + number % 28),
            birth=dt.date(1952 + number % 60, 1 + number % 12, 2),
        )
    return health_demo_load(seed=1)


def test_the_demo_coverage_equals_a_count_by_hand(city):
    assert city["migrant_services"] > 0
    indicator = load_definitions().get(CODE)
    period = period_get(PERIOD)
    served, eligible = _by_hand(DAY)["elsewhere"]
    assert eligible > 10 and 0 < served < eligible
    value = compute([indicator], periods=[period]).get(CODE, period)
    assert (value.numerator, value.denominator) == (served, eligible)
    assert value.value == pytest.approx(100 * served / eligible)
    by_hukou = compute([indicator], periods=[period], by="hukou")
    for hukou, (part, whole) in _by_hand(DAY).items():
        split = by_hukou.get(CODE, period, group=hukou)
        assert (split.numerator, split.denominator) == (part, whole), hukou
    # A registered resident is never in the population: that split is empty.
    assert by_hukou.get(CODE, period, group="zhongshan").value is None


def test_recording_a_service_moves_the_indicator_after_the_worker(city, login, token):
    headers = {"Authorization": f"Bearer {token('office')}"}
    url = f"/api/v1/monitoring/values?indicator={CODE}&period={PERIOD}"
    login("office").get(url, headers=headers)  # asked for: computed by the worker
    run_worker()
    before = login("office").get(url, headers=headers).json()[0]
    person = _migrant(GUZHEN, since=dt.date(2013, 1, 5))
    # The new person counts in the denominator too: both move by one.
    services.migrant_service_record(
        person=person,
        kind="contraceptives",
        delivered_on=dt.date(2016, 11, 3),
        provider="古镇人民医院",
        actor=None,
    )
    run_worker()
    after = login("office").get(url, headers=headers).json()[0]
    assert after["numerator"] == before["numerator"] + 1
    assert after["denominator"] == before["denominator"] + 1
    assert after["value"] > before["value"]


@pytest.mark.parametrize(
    "fields,kind,reason",
    [
        # A registered resident: not a migrant.
        ({"hukou": "zhongshan"}, "contraceptives", "非本市户籍"),
        # A migrant of four months asking for the pre-pregnancy check (半年以上).
        (
            {"hukou": "elsewhere", "resident_since": dt.date(2016, 8, 1)},
            "prepregnancy_check",
            "居住满",
        ),
    ],
    ids=["registered-resident", "migrant-under-six-months"],
)
def test_a_person_not_eligible_is_refused_and_nothing_saved(
    fields, kind, reason, geography
):
    person = make_person(XIAOLAN, birth_date=dt.date(1990, 5, 5), **fields)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.migrant_service_record(
            person=person,
            kind=kind,
            delivered_on=dt.date(2016, 12, 1),
            provider="小榄人民医院",
            actor=None,
        )
    message = " ".join(refused.value.messages)
    assert "规则认定" in message or "do not find" in message
    assert reason in message, message
    assert not MigrantService.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_the_basic_services_ask_no_six_months_the_check_does(geography):
    """The plan ties 半年以上 to the pre-pregnancy check only (README, 3.3.4)."""
    person = _migrant(since=dt.date(2016, 10, 1))
    services.migrant_service_record(
        person=person,
        kind="contraceptives",
        delivered_on=dt.date(2016, 12, 1),
        provider="小榄人民医院",
        actor=None,
    )
    with pytest.raises(ValidationError):
        services.migrant_service_record(
            person=person,
            kind="prepregnancy_check",
            delivered_on=dt.date(2016, 12, 1),
            provider="小榄人民医院",
            actor=None,
        )
    # Six months on to the day, the check is free (以上 includes the number).
    services.migrant_service_record(
        person=person,
        kind="prepregnancy_check",
        delivered_on=dt.date(2017, 4, 1),
        provider="小榄人民医院",
        actor=None,
    )
    assert MigrantService.objects.filter(person=person).count() == 2


def test_the_page_and_the_api_refuse_with_the_reason(demo_accounts, login, token):
    resident = make_person(XIAOLAN, birth_date=dt.date(1990, 5, 5))
    response = login("health").post(
        "/health/migrants/new/",
        {
            "id_number": resident.id_number,
            "kind": "iud_pregnancy_check",
            "delivered_on": "2016-12-01",
            "provider": "小榄人民医院",
        },
    )
    assert response.status_code == 200
    assert "a migrant registered outside Zhongshan" in response.content.decode()
    api = login("health").post(
        "/api/v1/health/migrant-services",
        {
            "id_number": resident.id_number,
            "kind": "iud_pregnancy_check",
            "delivered_on": "2016-12-01",
            "provider": "小榄人民医院",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token('health')}"},
    )
    assert api.status_code == 422
    assert "a migrant registered outside Zhongshan" in api.json()["detail"]
    assert not MigrantService.objects.exists()


def test_the_health_role_records_through_the_page_and_api(demo_accounts, login, token):
    migrant = _migrant()
    response = login("health").post(
        "/health/migrants/new/",
        {
            "id_number": migrant.id_number,
            "kind": "prepregnancy_check",
            "delivered_on": "2016-12-01",
            "provider": "小榄人民医院",
        },
    )
    assert response.status_code == 302
    record = MigrantService.objects.get(person=migrant)
    assert record.kind == "prepregnancy_check" and record.eligibility
    listing = login("health").get("/health/migrants/").content.decode()
    assert migrant.name in listing and "free pre-pregnancy health check" in listing
    created = login("health").post(
        "/api/v1/health/migrant-services",
        {
            "id_number": migrant.id_number,
            "kind": "sterilization",
            "delivered_on": "2016-12-02",
            "provider": "小榄人民医院",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token('health')}"},
    )
    assert created.status_code == 201, created.content
    assert (
        AuditEntry.objects.filter(
            object_type="migrant_service", action="create"
        ).count()
        == 2
    )


@pytest.mark.parametrize("username", ["town-xiaolan", "education", "office"])
def test_a_town_or_education_officer_cannot_read_the_records(
    username, demo_accounts, login, token
):
    migrant = _migrant()
    record = services.migrant_service_record(
        person=migrant,
        kind="contraceptives",
        delivered_on=dt.date(2016, 12, 1),
        provider="小榄人民医院",
        actor=None,
    )
    client = login(username)
    headers = {"Authorization": f"Bearer {token(username)}"}
    assert client.get("/health/migrants/").status_code == 404
    assert client.get("/health/migrants/new/").status_code == 404
    assert (
        client.get("/api/v1/health/migrant-services", headers=headers).status_code
        == 404
    )
    one = f"/api/v1/health/migrant-services/{record.public_id}"
    assert client.get(one, headers=headers).status_code == 404
    posted = client.post(
        "/api/v1/health/migrant-services",
        {
            "id_number": migrant.id_number,
            "kind": "contraceptives",
            "delivered_on": "2016-12-02",
            "provider": "小榄人民医院",
        },
        content_type="application/json",
        headers=headers,
    )
    assert posted.status_code == 404
    assert MigrantService.objects.count() == 1
    # Counts only, the small cell suppressed.
    coverage = client.get(
        "/api/v1/health/migrant-services/coverage?on=2016-12-31", headers=headers
    ).json()
    assert coverage == {
        "on": "2016-12-31",
        "eligible": "<10",
        "served": "<10",
        "rate": None,
    }
    exact = (
        login("health")
        .get(
            "/api/v1/health/migrant-services/coverage?on=2016-12-31",
            headers={"Authorization": f"Bearer {token('health')}"},
        )
        .json()
    )
    assert (exact["eligible"], exact["served"], exact["rate"]) == (1, 1, 100.0)
