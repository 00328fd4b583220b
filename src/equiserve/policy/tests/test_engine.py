"""The engine: one query for one person or many, input shapes, what-if, caching."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equiserve.policy import load_reform
from equiserve.policy.compiler import condition_column, missing_column
from equiserve.policy.contract import evaluate_request, parse_request
from equiserve.policy.plan import SMALL
from equiserve.policy.vocabulary import codes

dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2016, 12, 31)).map(
    dt.date.isoformat
)
towns = st.sampled_from(["442000001", "442000100", "442000106", "442000117"])


@st.composite
def person(draw, index):
    record = {
        "id": f"p{index}",
        "household": f"h{index}",
        "birth_date": draw(dates),
        "sex": draw(st.sampled_from(codes("sex"))),
        "hukou": draw(st.sampled_from(codes("hukou"))),
        "hukou_kind": draw(st.sampled_from(codes("hukou_kind"))),
        "town": draw(towns),
        "school_stage": draw(st.sampled_from(codes("school_stage"))),
        "low_income": draw(st.booleans()),
        "one_child_parent": draw(st.booleans()),
    }
    if draw(st.booleans()):
        record["resident_since"] = draw(dates)
    if draw(st.booleans()):
        record["points"] = draw(st.integers(0, 400)) / 2
    if draw(st.booleans()):
        record["veteran"] = {
            "kind": draw(st.sampled_from(codes("veteran_kind"))),
            "discharged": draw(dates),
            "nco_years": draw(st.integers(0, 30)),
        }
    if draw(st.booleans()):
        record["t1d"] = {
            "diagnosed": draw(dates),
            "hospital_grade": draw(st.sampled_from(codes("t1d_hospital_grade"))),
        }
    if draw(st.booleans()):
        record["death"] = {
            "date": draw(dates),
            "storage_days": draw(st.integers(0, 9)),
            "ash_storage_years": draw(st.integers(0, 20)),
        }
    if draw(st.booleans()):
        record["hardship"] = {
            "cause": draw(st.sampled_from(codes("hardship_cause"))),
            "date": draw(dates),
        }
    return record


@st.composite
def household(draw, index):
    return {
        "id": f"h{index}",
        "floor_area_m2": draw(st.integers(0, 2000)) / 10,
        "annual_income": draw(st.integers(0, 20_000_000)) / 100,
        "assets": draw(st.integers(0, 50_000_000)) / 100,
    }


@st.composite
def requests(draw):
    count = draw(st.integers(1, 6))
    day = draw(
        st.dates(min_value=dt.date(2013, 6, 1), max_value=dt.date(2016, 12, 31))
    ).isoformat()
    return {
        "date": day,
        "persons": [draw(person(i)) for i in range(count)],
        "households": [draw(household(i)) for i in range(count)],
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_evaluating_each_person_alone_equals_evaluating_them_together(request):
    together = evaluate_request(request)
    for person_record, household_record in zip(
        request["persons"], request["households"], strict=True
    ):
        alone = evaluate_request(
            {
                "date": request["date"],
                "persons": [person_record],
                "households": [household_record],
            }
        )
        assert (
            alone["persons"][person_record["id"]]
            == together["persons"][person_record["id"]]
        )
        assert (
            alone["households"][household_record["id"]]
            == together["households"][household_record["id"]]
        )


def test_a_large_frame_takes_the_optimized_path_with_the_same_results(plan, example):
    request = parse_request(example)
    persons = request.persons.filter(pl.col("guardian").is_null())
    copies = SMALL // persons.height + 1
    big = pl.concat(
        [
            persons.with_columns(
                (pl.col("id") + f"-{i}").alias("id"),
                (pl.col("household") + f"-{i}").alias("household"),
            )
            for i in range(copies)
        ]
    )
    assert big.height > SMALL
    large = plan.evaluate(big, date=request.date, overrides=request.overrides)
    small = plan.evaluate(persons, date=request.date, overrides=request.overrides)
    got = large.persons.filter(pl.col("id").str.ends_with("-0")).with_columns(
        pl.col("id").str.strip_suffix("-0")
    )
    assert got.equals(small.persons)


def test_struct_columns_as_the_synthetic_population_writes_them_are_read(plan, example):
    persons = pl.DataFrame(
        {
            "id": ["p1", "p4"],
            "household": ["h1", None],
            "birth_date": [dt.date(1993, 4, 2), dt.date(1950, 1, 1)],
            "sex": ["M", "M"],  # as the example gives it (3.7 reads it, issue 15)
            "hukou": ["zhongshan", "zhongshan"],
            "hukou_kind": ["rural", None],
            "points": pl.Series([None, None], dtype=pl.Int32),
            "veteran": [
                {
                    "kind": "transferred_nco",
                    "discharged": dt.date(2015, 3, 1),
                    "nco_years": 8,
                },
                None,
            ],
            "death": [
                None,
                {
                    "date": dt.date(2015, 6, 20),
                    "storage_days": 5,
                    "ash_storage_years": 12,
                },
            ],
            "village": ["x", "y"],
        },
        schema_overrides={
            "veteran": pl.Struct(
                {"kind": pl.String, "discharged": pl.Date, "nco_years": pl.Int32}
            ),
            "death": pl.Struct(
                {
                    "date": pl.Date,
                    "storage_days": pl.Int32,
                    "ash_storage_years": pl.Int32,
                }
            ),
        },
    )
    households = pl.DataFrame(
        {
            "id": ["h1"],
            "floor_area_m2": [38.5],
            "annual_income": [52000.0],
            "size": pl.Series([1], dtype=pl.Int32),
        }
    )
    result = plan.evaluate(
        persons.lazy(),
        households.lazy(),
        date=dt.date(2015, 7, 1),
        overrides={"statistics.average_annual_wage": {"2014": 60000}},
        keep=("village",),
    )
    rows = {row["id"]: row for row in result.persons.iter_rows(named=True)}
    assert rows["p1"]["veteran_grant"] == 22_000_000  # fen
    assert rows["p1"]["village"] == "x"
    assert (
        rows["p4"]["funeral_free_storage_days"],
        rows["p4"]["funeral_free_ash_storage_years"],
    ) == (3, 10)
    contract = evaluate_request(example)["persons"]
    for pid in ("p1", "p4"):
        assert result.answer()["persons"][pid] == contract[pid]


def test_outputs_limit_the_computation(plan, example):
    request = parse_request(example)
    result = plan.evaluate(
        request.persons,
        request.households,
        date=request.date,
        outputs=["veteran_grant"],
    )
    assert result.persons.columns == ["id", "veteran_grant"]
    assert result.households.columns == ["id"]


def test_compiled_queries_are_cached_per_date_and_overrides(plan):
    day = dt.date(2015, 7, 1)
    first = plan.compile(day)
    assert plan.compile(day) is first
    assert (
        plan.compile(day, {"statistics.average_annual_wage": {"2014": 1}}) is not first
    )
    assert plan.compile(dt.date(2015, 7, 2)) is not first


def test_an_explained_eligibility_computes_each_condition_once(plan):
    """The eligibility and its facts list read the condition columns, not the
    conditions' expressions: a single case runs unoptimized, and Polars would
    compute every condition three times (about half an evaluation's time)."""
    compiled = plan.compile(dt.date(2015, 7, 1))
    steps = compiled.steps(None, explain=True)
    eligibility = next(i for i in compiled.info.values() if i.kind == "eligibility")
    conditions = {
        condition_column(eligibility.name, index)
        for index in range(len(eligibility.eligibility.conditions))
    }
    computing = {
        name: (position, expr)
        for position, (_, payload) in enumerate(steps)
        if isinstance(payload, list)
        for expr in payload
        if (name := expr.meta.output_name(raise_if_undetermined=False))
    }
    position, expr = computing[eligibility.name]
    assert set(expr.meta.root_names()) == conditions
    _, missing = computing[missing_column(eligibility.name)]
    assert conditions <= set(missing.meta.root_names())
    assert all(computing[name][0] < position for name in conditions)


def test_a_single_case_lists_the_facts_it_needs_as_the_whole_query_does(plan, example):
    """A single case's fact lists come after the run (`Compiled.add_missing`),
    only for the eligibilities left undetermined; the query for a city computes
    them within. Both give the same lists, and none for a determined one."""
    request = parse_request(example)
    day = request.date
    after = plan.evaluate(request.persons, request.households, date=day, facts=True)
    within_p, within_h = pl.collect_all(
        plan.query(request.persons, request.households, date=day, facts=True)
    )
    lists = [c for c in within_p.columns if c.startswith(missing_column(""))]
    assert lists and any(
        within_p.get_column(c).null_count() < within_p.height for c in lists
    )
    assert after.persons.select("id", *lists).equals(within_p.select("id", *lists))
    lists_h = [c for c in within_h.columns if c.startswith(missing_column(""))]
    assert after.households.select("id", *lists_h).equals(
        within_h.select("id", *lists_h)
    )
    assert after.persons.columns == within_p.columns


def test_a_reform_file_overrides_parameters_and_replaces_a_formula(
    plan, tmp_path, example
):
    (tmp_path / "longer_storage.py").write_text(
        '"""Free storage for up to 7 days."""\n'
        "import polars as pl\n\n"
        "from equiserve.policy.model import variable\n\n\n"
        '@variable(entity="person", type="int", unit="days", clause="3.5", start="2014-01-01",\n'
        '          gate="funeral_eligible", label={"zh": "遗体免费存放天数", "en": "days of free body storage"})\n'
        "def funeral_free_storage_days(p):\n"
        '    """Storage is free for up to 7 days."""\n'
        '    used = pl.col("death_storage_days").fill_null(7)\n'
        '    return pl.when(pl.col("funeral_eligible")).then(pl.min_horizontal(used, 7)).otherwise(0).alias("funeral_free_storage_days")\n',
        encoding="utf-8",
    )
    reform_path = tmp_path / "reform.yaml"
    reform_path.write_text(
        "name: longer-storage\n"
        "description: Seven free days of storage and a higher guardian threshold.\n"
        "parameters:\n"
        '  student_insurance.minimum_guardian_points: {"2014-01-01": 200}\n'
        "module: longer_storage.py\n",
        encoding="utf-8",
    )
    reform = load_reform(reform_path)
    request = parse_request(example)
    comparison = plan.compare(
        request.persons, request.households, date=request.date, reform=reform
    )
    rows = {row["id"]: row for row in comparison.persons().iter_rows(named=True)}
    assert (
        rows["p4"]["funeral_free_storage_days_baseline"],
        rows["p4"]["funeral_free_storage_days_reform"],
    ) == (3, 5)
    assert (
        rows["p2"]["student_insurance_eligible_baseline"],
        rows["p2"]["student_insurance_eligible_reform"],
    ) == (True, False)
    # The baseline plan is unchanged.
    assert (
        plan.variables["funeral_free_storage_days"].formulas[0].file.name
        == "clause_3_5.py"
    )


def test_money_stays_exact_to_the_fen(plan):
    answer = evaluate_request(
        {
            "date": "2015-07-01",
            "parameters": {"statistics.average_annual_wage": {"2014": 61234.57}},
            "persons": [
                {
                    "id": "a",
                    "hukou": "zhongshan",
                    "veteran": {
                        "kind": "transferred_nco",
                        "discharged": "2015-01-02",
                        "nco_years": 17,
                    },
                }
            ],
        }
    )["persons"]["a"]
    # 61,234.57 ÷ 12 = 5,102.880833… → 5,102.88; 3 × 61,234.57 + 17 × 5,102.88 = 270,452.67
    assert answer["veteran_monthly_wage"] == 5102.88
    assert answer["veteran_grant"] == 270452.67


def test_the_policy_package_imports_no_django():
    code = (
        "import sys\n"
        "import equiserve.policy, equiserve.policy.contract, equiserve.policy.cli\n"
        "import equiserve.policy.testing, equiserve.policy.openapi\n"
        "equiserve.policy.load_plan()\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"PATH": "/usr/bin:/bin"}
    )
    source = Path(__file__).resolve().parents[1]
    pattern = re.compile(r"^\s*(import|from)\s+django\b", re.MULTILINE)
    for path in source.rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
