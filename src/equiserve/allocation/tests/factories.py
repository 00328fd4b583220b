"""Rounds for the tests: a small fixed one and random ones (hypothesis strategies)."""

import random

from hypothesis import strategies as st

from equiserve.allocation import Applicant, RankingConfig, Unit, draw_round

ZERO_SEED = "0" * 64
SEED = "5eed" * 16
GROUPS = ("disability", "elderly", "low_income")
DATES = ("2013-05-01", "2013-11-20", "2014-02-03", "2014-02-03", "2015-01-15")


def config(**changes) -> RankingConfig:
    """Return a ranking configuration for tests (not the shipped example)."""
    values = {
        "version": "test.1",
        "priority_groups": list(GROUPS),
        "refusal_limit": 2,
        "refusal_demotion": "end_of_group",
    }
    values.update(changes)
    return RankingConfig(**values)


def applicant(applicant_id: str, **changes) -> Applicant:
    """Return an applicant in no group, 10 points, household of 2, wanting e1."""
    values = {
        "id": applicant_id,
        "priority": None,
        "score": 10,
        "waiting_since": "2014-01-01",
        "household_size": 2,
        "preferences": ("e1",),
    }
    values.update(changes)
    return Applicant(**values)


def random_round(rng: random.Random, n_applicants: int, n_units: int, n_estates: int):
    """Return applicants and units drawn with `rng`: ties in score and date are common."""
    estates = [f"e{i}" for i in range(1, n_estates + 1)]
    units = []
    for i in range(1, n_units + 1):
        bedrooms = rng.randint(1, 3)
        units.append(
            Unit(
                f"u{i}",
                rng.choice(estates),
                bedrooms,
                list(range(bedrooms, 2 * bedrooms + 1)),
            )
        )
    applicants = []
    for i in range(1, n_applicants + 1):
        applicants.append(
            Applicant(
                id=f"a{i}",
                priority=rng.choice([None, None, *GROUPS]),
                score=rng.randint(0, 4),
                waiting_since=rng.choice(DATES),
                household_size=rng.randint(1, 6),
                preferences=rng.sample(estates, rng.randint(0, n_estates)),
                migrant=rng.random() < 0.3,
                refusals=rng.choice([0, 0, 0, 1, 2]),
            )
        )
    return applicants, units


def fixed_round() -> dict:
    """Return the round.json data of a seeded round of 40 applicants and 15 units."""
    applicants, units = random_round(random.Random(7), 40, 15, 3)
    return draw_round(applicants, units, config(), SEED, round_id="t1", migrant_quota=2)


@st.composite
def instances(draw, max_applicants: int = 20, max_units: int = 15):
    """Draw (applicants, units) with few estates, sizes and scores, so ties occur."""
    estates = [f"e{i}" for i in range(1, draw(st.integers(1, 4)) + 1)]
    units = [
        Unit(
            f"u{i}",
            draw(st.sampled_from(estates)),
            draw(st.integers(0, 3)),
            sorted(draw(st.sets(st.integers(1, 5), min_size=1, max_size=3))),
        )
        for i in range(draw(st.integers(0, max_units)))
    ]
    applicants = []
    for i in range(draw(st.integers(0, max_applicants))):
        order = draw(st.permutations(estates))
        applicants.append(
            Applicant(
                id=f"a{i}",
                priority=draw(st.sampled_from([None, *GROUPS])),
                score=draw(st.integers(0, 3)),
                waiting_since=draw(st.sampled_from(DATES)),
                household_size=draw(st.integers(1, 5)),
                preferences=order[: draw(st.integers(0, len(order)))],
                migrant=draw(st.booleans()),
                refusals=draw(st.integers(0, 3)),
            )
        )
    return applicants, units


seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)
