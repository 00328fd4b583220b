"""Clause 3.3.4: free pre-pregnancy health checks for migrants resident six months or more."""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="date",
    output=False,
    clause="3.3.4",
    start=START,
    label={"zh": "居住满规定月数之日", "en": "day the residence requirement is met"},
)
def prepregnancy_residence_met_on(p):
    """The day a migrant has lived in the city the required months: the same day-of-month that many months on (end-of-month days clamp, 31 Aug + 6 months = 28 Feb), per 3.3.4."""
    return _months_on(p, "family_planning.prepregnancy_minimum_residence_months").alias(
        "prepregnancy_residence_met_on"
    )


def _months_on(p, parameter: str) -> pl.Expr:
    """Return the day `parameter`'s months of residence are met (null if not in force)."""
    months = p(parameter)
    if months is None:
        return pl.lit(None, dtype=pl.Date)
    return pl.col("resident_since").dt.offset_by(f"{int(months)}mo")


@variable(
    entity="person",
    type="bool",
    clause="3.3.4",
    start=START,
    label={"zh": "免费孕前优生健康检查", "en": "free pre-pregnancy health check"},
)
def prepregnancy_check_free(p):
    """A migrant of childbearing age who has lived in the city six months or more (the day six months on included) gets a free pre-pregnancy check (3.3.4)."""
    return all_of(
        condition(
            "migrant",
            pl.col("hukou") == "elsewhere",
            zh="非本市户籍的流动人口（户籍：{hukou}）",
            en="a migrant registered outside Zhongshan (registration: {hukou})",
        ),
        condition(
            "resident",
            pl.col("prepregnancy_residence_met_on") <= p.date,
            zh="在本市居住满{family_planning.prepregnancy_minimum_residence_months}"
            "（自{resident_since}起，{prepregnancy_residence_met_on}满期）",
            en="has lived in the city {family_planning.prepregnancy_minimum_residence_months} "
            "or more (since {resident_since}; met on {prepregnancy_residence_met_on})",
        ),
        condition(
            "age",
            pl.col("age").is_between(
                p.lit("family_planning.prepregnancy_minimum_age"),
                p.lit("family_planning.prepregnancy_maximum_age"),
            ),
            zh="年龄在{family_planning.prepregnancy_minimum_age}至"
            "{family_planning.prepregnancy_maximum_age}之间（年龄：{age}）",
            en="aged {family_planning.prepregnancy_minimum_age} to "
            "{family_planning.prepregnancy_maximum_age} (age: {age})",
        ),
    ).alias("prepregnancy_check_free")


# The free basic family-planning services the clause keeps for migrants (四术,
# 查环查孕, 避孕药具) and explores (节育奖, 季度保险): one eligibility, the
# services as programme items delivered one by one (issue 12, point 8).


@variable(
    entity="person",
    type="date",
    output=False,
    clause="3.3.4",
    start=START,
    label={
        "zh": "满足免费计划生育服务居住要求之日",
        "en": "day the residence requirement of the free services is met",
    },
)
def migrant_services_residence_met_on(p):
    """The day a migrant has lived in the city the months the free services require (3.3.4)."""
    return _months_on(
        p, "family_planning.migrant_services_minimum_residence_months"
    ).alias("migrant_services_residence_met_on")


@variable(
    entity="person",
    type="bool",
    clause="3.3.4",
    start=START,
    label={
        "zh": "流动人口免费计划生育基本服务",
        "en": "migrants' free basic family-planning services",
    },
)
def migrant_family_planning_free(p):
    """A migrant of childbearing age living in the city gets the four operations, IUD and pregnancy checks and contraceptives free (3.3.4)."""
    return all_of(
        condition(
            "migrant",
            pl.col("hukou") == "elsewhere",
            zh="非本市户籍的流动人口（户籍：{hukou}）",
            en="a migrant registered outside Zhongshan (registration: {hukou})",
        ),
        condition(
            "resident",
            pl.col("migrant_services_residence_met_on") <= p.date,
            zh="在本市居住满{family_planning.migrant_services_minimum_residence_months}"
            "（自{resident_since}起）",
            en="has lived in the city "
            "{family_planning.migrant_services_minimum_residence_months} or more "
            "(since {resident_since})",
        ),
        condition(
            "age",
            pl.col("age") >= p.lit("family_planning.migrant_services_minimum_age"),
            zh="年满{family_planning.migrant_services_minimum_age}（年龄：{age}）",
            en="aged {family_planning.migrant_services_minimum_age} or more "
            "(age: {age})",
        ),
    ).alias("migrant_family_planning_free")
