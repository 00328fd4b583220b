"""Clause 3.1.1: the preschool education subsidy for household-registered children."""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

# The plan's programmes run from its first year, 2014 (plan period 2014–2016).
START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    clause="3.1.1",
    start=START,
    label={"zh": "学前教育资助", "en": "preschool education subsidy"},
)
def preschool_subsidy_eligible(p):
    """A household-registered child in kindergarten is covered by the preschool subsidy system (3.1.1)."""
    return all_of(
        condition(
            "registered",
            pl.col("registered"),
            zh="本市户籍（户籍：{hukou}）",
            en="registered in Zhongshan (registration: {hukou})",
        ),
        condition(
            "kindergarten",
            pl.col("school_stage") == "kindergarten",
            zh="在读幼儿园（学段：{school_stage}）",
            en="attends kindergarten (school stage: {school_stage})",
        ),
    ).alias("preschool_subsidy_eligible")
