"""Through the database, a round's offers equal the hospital–resident solution (issue 7).

The same comparison as `equiserve.allocation.tests.test_matching`, but on rounds
built from households, stock and applications, frozen and drawn by the
services: what reaches the households (their offers) is the resident-optimal
stable matching of `matching` when every unit ranks by the round's city list.
"""

import datetime as dt
import json
import random

import pytest

from equiserve.allocation import Applicant, Unit
from equiserve.allocation.tests.test_matching import hospital_resident_allocation
from equiserve.housing import services
from equiserve.housing.models import AllocationRound, Offer, round_reference
from equiserve.housing.tests.factories import AS_OF, apply, estate, household, unit

pytestmark = pytest.mark.django_db


def _random_city(rng: random.Random, tag: str) -> None:
    estates = [estate(f"{tag}E{i}") for i in range(rng.randint(1, 3))]
    for i in range(rng.randint(3, 10)):
        low = rng.randint(1, 4)
        unit(
            rng.choice(estates),
            f"{tag}U{i:02d}",
            bedrooms=rng.randint(0, 3),
            suits=(low, rng.randint(low, 5)),
        )
    for _ in range(rng.randint(4, 14)):
        size = rng.randint(1, 5)
        old = rng.random() < 0.2
        home, person = household(
            size=size,
            # Few floor areas and dates, so that ties (and the lottery) are common.
            floor_area=str(size * rng.choice((6, 10, 12))),
            low_income=rng.random() < 0.2,
            birth_dates=(dt.date(1945, 1, 1),) if old else (),
        )
        wanted = rng.sample(estates, rng.randint(0, len(estates)))
        apply(
            home,
            person,
            wanted,
            disability=rng.random() < 0.1,
            submitted_on=rng.choice((dt.date(2014, 3, 1), dt.date(2014, 9, 1))),
        )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_drawn_rounds_offers_are_the_hospital_resident_solution(geography, seed):
    _random_city(random.Random(seed), f"s{seed}")
    services.round_freeze(
        round_id=f"hr-{seed}", title="hr", as_of=AS_OF, actor=None, migrant_quota=None
    )
    drawn = services.round_draw(round_id=f"hr-{seed}", actor=None)
    data = json.loads(drawn.round_json)
    applicants = [
        Applicant(**{k: r[k] for k in Applicant.__dataclass_fields__})
        for r in data["applicants"]
    ]
    units = [Unit(**u) for u in data["units"]]
    city_list = [record["id"] for record in data["applicants"]]
    expected = hospital_resident_allocation(applicants, units, city_list)
    offers = {
        round_reference(drawn.pk, offer.application_id): offer.unit.code
        for offer in Offer.objects.filter(round=drawn).select_related(
            "application", "unit"
        )
    }
    assert offers == expected
    assert AllocationRound.objects.get(pk=f"hr-{seed}").allocated == len(expected)
