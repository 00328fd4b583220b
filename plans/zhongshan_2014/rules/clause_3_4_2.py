"""Clause 3.4.2: residents' medical insurance for non-registered pupils, through the guardian's points."""

import polars as pl

from equiserve.policy.model import all_of, condition, guardian, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="float",
    unit="points",
    output=False,
    clause="3.4.2",
    label={"zh": "监护人积分", "en": "guardian's points"},
)
def guardian_points(p):
    """The points score of the person named as guardian (3.4.2 reads it through the points system)."""
    return guardian("points").alias("guardian_points")


@variable(
    entity="person",
    type="bool",
    clause="3.4.2",
    start=START,
    label={
        "zh": "非本市户籍学生参加居民医保并享受同等财政补助",
        "en": "residents' medical insurance for a non-registered pupil",
    },
)
def student_insurance_eligible(p):
    """A pupil registered elsewhere in compulsory education joins residents' inpatient insurance with the registered pupils' subsidy when the guardian has enough points (3.4.2)."""
    stages = list(p("student_insurance.school_stages") or [])
    return all_of(
        condition(
            "migrant",
            pl.col("hukou") == "elsewhere",
            zh="非本市户籍学生（户籍：{hukou}）",
            en="a pupil registered outside Zhongshan (registration: {hukou})",
        ),
        condition(
            "compulsory_education",
            pl.col("school_stage").is_in(stages),
            zh="在读义务教育阶段（小学或初中；学段：{school_stage}）",
            en="in compulsory education, primary or junior secondary (school stage: {school_stage})",
        ),
        condition(
            "guardian",
            # No guardian named: unknown, not a failure (issue 12).
            pl.when(pl.col("guardian").is_not_null()).then(True),
            zh="填写了监护人（{guardian}）",
            en="a guardian is named ({guardian})",
        ),
        condition(
            "guardian_points",
            pl.col("guardian_points")
            >= p.lit("student_insurance.minimum_guardian_points"),
            zh="监护人积分不低于{student_insurance.minimum_guardian_points}（监护人积分：{guardian_points}）",
            en="the guardian has at least {student_insurance.minimum_guardian_points} "
            "(guardian's points: {guardian_points})",
        ),
    ).alias("student_insurance_eligible")
