"""Job matching and the labour register's figures, plain Polars (issue 15)."""

from decimal import Decimal

import polars as pl

from equiserve.allocation.jobs import (
    Commute,
    community_assessment,
    match_jobs,
    unemployment_rates,
)

# Two points 0.05° of longitude apart at 22.5° N: about 5.1 km.
HERE, NEAR, FAR = (113.40, 22.50), (113.45, 22.50), (113.90, 22.50)


def _seekers(*rows):
    return pl.DataFrame(
        rows,
        schema={
            "seeker": pl.Int64,
            "occupation": pl.Utf8,
            "skills": pl.UInt64,
            "wage_min": pl.Float64,
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
        orient="row",
    )


def _vacancies(*rows):
    return pl.DataFrame(
        rows,
        schema={
            "vacancy": pl.Int64,
            "occupation": pl.Utf8,
            "skills": pl.UInt64,
            "wage": pl.Float64,
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
        orient="row",
    )


def test_a_seeker_is_matched_within_the_occupation_wage_and_commute():
    seekers = _seekers((1, "6-08", 0b11, 2500, *HERE), (2, "4-03", 0, 2000, *HERE))
    vacancies = _vacancies(
        (10, "6-08", 0b01, 3000, *NEAR),  # fits
        (11, "6-08", 0b01, 2400, *HERE),  # pays less than asked
        (12, "6-08", 0b01, 9000, *FAR),  # beyond an hour
        (13, "6-05", 0b01, 3000, *HERE),  # another occupation
        (14, "6-08", 0b100, 3000, *HERE),  # asks a skill the seeker lacks
    )
    found = match_jobs(seekers, vacancies, top=5)
    assert found.filter(pl.col("seeker") == 1)["vacancy"].to_list() == [10, 14]
    assert found.filter(pl.col("seeker") == 2).is_empty()
    minutes = found.filter(pl.col("vacancy") == 10)["minutes"][0]
    assert 13 < minutes < 14  # 5.14 km × 1.3 at 500 m a minute


def test_matching_keeps_the_best_and_works_in_chunks(monkeypatch):
    import equiserve.allocation.jobs as jobs

    monkeypatch.setattr(jobs, "CHUNK_PAIRS", 3)
    seekers = _seekers(*[(i, "6-08", 1, 2000, *HERE) for i in range(7)])
    vacancies = _vacancies(
        (1, "6-08", 1, 2100, *NEAR),
        (2, "6-08", 1, 2100, *HERE),
        (3, "6-08", 1, 2100, *NEAR),
    )
    found = match_jobs(seekers, vacancies, top=2, commute=Commute(max_minutes=60))
    assert found.height == 14
    assert set(found.filter(pl.col("rank") == 1)["vacancy"]) == {2}
    assert set(found.filter(pl.col("rank") == 2)["vacancy"]) == {
        1
    }  # ties: listed first


def test_the_rate_counts_urban_people_only_to_two_decimals():
    register = pl.DataFrame(
        {
            "town": ["a", "a", "a", "b", "b", "b"],
            "status": [
                "employed",
                "unemployed",
                "inactive",
                "employed",
                "employed",
                "unemployed",
            ],
            "urban": [True, True, True, True, True, False],
        }
    )
    rates = unemployment_rates(register)
    assert rates["towns"]["a"] == {
        "rate": Decimal("50.00"),
        "unemployed": 1,
        "employed": 1,
        "labour_force": 2,
    }
    assert rates["towns"]["b"]["rate"] == Decimal("0.00")
    assert rates["city"]["rate"] == Decimal("25.00")


def test_a_community_at_the_rate_limit_meets_the_standard():
    # 1 unemployed in 40 is 2.5 %; the limit 2.5 % includes it (以内).
    register = pl.DataFrame(
        {
            "community": ["c"] * 40 + ["d"] * 2,
            "household": list(range(40)) + [100, 100],
            "status": ["unemployed"] + ["employed"] * 39 + ["unemployed", "inactive"],
        }
    )
    found = community_assessment(
        register, max_rate=Decimal("2.5"), max_zero_employment_families=1
    )
    rows = {row["community"]: row for row in found.iter_rows(named=True)}
    # c's one unemployed member lives alone: a zero-employment family, allowed 1.
    assert rows["c"]["zero_employment_families"] == 1 and rows["c"]["meets"]
    assert not rows["d"]["meets"]
