"""Clause 3.3.2: free glucose-lowering drugs and glucose tests for type-1 diabetes."""

from pathlib import Path

import polars as pl

from equiserve.policy.model import all_of, condition, variable
from equiserve.policy.vocabulary import codes

START = "2014-01-01"
# Hospital grades from lowest to highest, in the order inputs.yaml gives them.
GRADES = codes("t1d_hospital_grade", Path(__file__).resolve().parents[1])
RANK = {grade: index for index, grade in enumerate(GRADES)}


@variable(
    entity="person",
    type="bool",
    clause="3.3.2",
    start=START,
    label={"zh": "1型糖尿病免费基本治疗", "en": "free type-1 diabetes care"},
)
def t1d_free_care_eligible(p):
    """A household-registered type-1 diabetes patient diagnosed at a grade-2A-or-higher hospital gets free drugs and tests (3.3.2)."""
    lowest = p("health.t1d_minimum_hospital_grade")
    rank = pl.col("t1d_hospital_grade").replace_strict(
        RANK, default=None, return_dtype=pl.Int64
    )
    return all_of(
        condition(
            "registered",
            pl.col("registered"),
            zh="本市户籍（户籍：{hukou}）",
            en="registered in Zhongshan (registration: {hukou})",
        ),
        condition(
            "patient",
            pl.col("t1d_given"),
            zh="为1型糖尿病患者",
            en="a type-1 diabetes patient",
        ),
        condition(
            "diagnosed",
            pl.col("t1d_diagnosed") <= p.date,
            zh="确诊日期不晚于评估日期（确诊日期：{t1d_diagnosed}）",
            en="diagnosed on or before the evaluation date (on {t1d_diagnosed})",
        ),
        condition(
            "hospital_grade",
            rank >= RANK.get(lowest, len(GRADES)),
            zh="确诊医院为{health.t1d_minimum_hospital_grade}级或以上（确诊医院等级：{t1d_hospital_grade}）",
            en="diagnosed at a hospital of grade {health.t1d_minimum_hospital_grade} or higher "
            "(grade: {t1d_hospital_grade})",
        ),
    ).alias("t1d_free_care_eligible")
