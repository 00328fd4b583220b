"""Coverage (issue 17, acceptance 2): the indicators on the demo data equal an
independent computation from the rows, by town, category and grade, split by
registration; the Kangyuan network and the institutions' occupancy likewise."""

import datetime as dt
from collections import Counter

import pytest

from equiserve.disability import selectors
from equiserve.disability.demo import disability_demo_load
from equiserve.disability.models import DisabilityRecord, Institution, Service
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_person

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def demo():
    """The demo loader over a small population: 400 persons in three towns."""
    for n in range(400):
        make_person(
            (XIAOLAN, GUZHEN, SHIQI)[n % 3],
            hukou="zhongshan" if n % 5 else "elsewhere",
        )
    return disability_demo_load()


def _independent(year: int, kind: str = ""):
    """Count from plain rows with Python only: no selector, no aggregate query."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    served = {
        s.record_id
        for s in Service.objects.all()
        if s.start_date <= end
        and (s.end_date is None or s.end_date >= start)
        and (not kind or s.kind == kind)
    }
    counts = Counter()
    for r in DisabilityRecord.objects.select_related("person"):
        if r.issued_on > end:
            continue
        group = "zhongshan" if r.person.hukou == "zhongshan" else "elsewhere"
        for key in (
            ("town", r.person.town_id),
            ("category", r.category),
            ("grade", str(r.grade)),
            ("total", "all"),
        ):
            for g in ("all", group):
                counts[(*key, g, "registered")] += 1
                counts[(*key, g, "served")] += r.pk in served
    return counts


@pytest.mark.parametrize(("year", "kind"), [(2015, ""), (2016, "rehabilitation")])
def test_coverage_on_the_demo_data_equals_an_independent_count(demo, year, kind):
    assert demo["records"] == 10 and demo["services"] > 0
    expected = _independent(year, kind)
    tables = selectors.coverage(year=year, kind=kind)
    seen = Counter()
    for dimension, rows in tables.items():
        for row in rows:
            for group, cell in row.cells.items():
                seen[(dimension, row.key, group, "registered")] = cell.registered
                seen[(dimension, row.key, group, "served")] = cell.served
                if cell.registered:
                    assert cell.share == cell.served / cell.registered
    assert +seen == +expected
    assert sum(r.cells["all"].registered for r in tables["town"]) == 10


def test_a_town_officer_scope_counts_their_town_only(demo):
    tables = selectors.coverage(year=2015, towns=[XIAOLAN])
    assert [row.key for row in tables["town"]] == [XIAOLAN]
    assert tables["total"][0].cells["all"].registered == (
        DisabilityRecord.objects.filter(person__town_id=XIAOLAN).count()
    )


def test_occupancy_and_the_kangyuan_network_equal_the_rows(demo):
    on = dt.date(2016, 6, 1)
    rows = {r["institution"].code: r for r in selectors.institution_rows(on=on)}
    for institution in Institution.objects.all():
        running = [
            s
            for s in institution.services.all()
            if s.start_date <= on and (s.end_date is None or s.end_date >= on)
        ]
        assert rows[institution.code]["occupancy"] == len(running)
    network = {row["town"].code: row for row in selectors.kangyuan_network(on=on)}
    assert len(network) == 24
    assert sum(not row["complete"] for row in network.values()) == 4
    assert network[XIAOLAN]["complete"]


def test_the_coverage_api_equals_the_independent_count(demo, demo_accounts, client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "office", "password": "demo-office"},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    body = client.get("/api/v1/disability/coverage?year=2015", headers=headers).json()
    expected = _independent(2015)
    seen = Counter()
    for dimension in ("total", "town", "category", "grade"):
        for row in body[dimension]:
            for group in ("all", "zhongshan", "elsewhere"):
                cell = row[group]
                seen[(dimension, row["key"], group, "registered")] = cell["registered"]
                seen[(dimension, row["key"], group, "served")] = cell["served"]
    assert +seen == +expected
