"""Clause 3.4.1: temporary hardship relief for non-registered residents after a sudden event.

The relief is for migrant workers (异地务工人员): people registered elsewhere who live
or work in Zhongshan (issue 12, point 9). It is funded from the towns' yearly
budgets (“救助经费纳入镇级年度财政预算”), recorded on the programme's funding.
"""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="int",
    unit="days",
    output=False,
    clause="3.4.1",
    label={"zh": "距突发事件天数", "en": "days since the event"},
)
def hardship_days_since(p):
    """Days from the sudden event to the evaluation date (the event day is day 0), per 3.4.1."""
    return (
        (pl.lit(p.date) - pl.col("hardship_date"))
        .dt.total_days()
        .alias("hardship_days_since")
    )


@variable(
    entity="person",
    type="date",
    output=False,
    clause="3.4.1",
    label={"zh": "在本市居住或务工起始日", "en": "living or working in the city since"},
)
def in_city_since(p):
    """The first day a person lived or worked in the city: the earlier of the two given (3.4.1)."""
    return pl.min_horizontal("resident_since", "works_in_city_since").alias(
        "in_city_since"
    )


@variable(
    entity="person",
    type="bool",
    clause="3.4.1",
    start=START,
    label={"zh": "非本市户籍人员临时困难救助", "en": "temporary hardship relief"},
)
def hardship_relief_eligible(p):
    """A person registered elsewhere who lives or works in the city and meets temporary hardship from a sudden cause gets relief within the window after the event (3.4.1)."""
    causes = list(p("hardship.sudden_causes") or [])
    return all_of(
        condition(
            "migrant",
            pl.col("hukou") == "elsewhere",
            zh="非本市户籍（户籍：{hukou}）",
            en="registered outside Zhongshan (registration: {hukou})",
        ),
        condition(
            "sudden_cause",
            pl.col("hardship_cause").is_in(causes),
            zh="因突发性原因陷入临时困难（原因：{hardship_cause}）",
            en="in temporary hardship from a sudden cause (cause: {hardship_cause})",
        ),
        condition(
            "happened",
            pl.col("hardship_given") & (pl.col("hardship_days_since") >= 0),
            zh="事件已经发生（发生日期：{hardship_date}）",
            en="the event has happened (on {hardship_date})",
        ),
        condition(
            "window",
            pl.col("hardship_days_since") <= p.lit("hardship.relief_window_days"),
            zh="在事件发生后{hardship.relief_window_days}内（已过{hardship_days_since}）",
            en="within {hardship.relief_window_days} of the event "
            "({hardship_days_since} have passed)",
        ),
        condition(
            "in_city",
            (pl.col("hardship_date") - pl.col("in_city_since")).dt.total_days()
            >= p.lit("hardship.minimum_days_in_city"),
            zh="事件发生时在本市居住或务工已满{hardship.minimum_days_in_city}"
            "（居住或务工起始日：{in_city_since}）",
            en="living or working in Zhongshan for at least "
            "{hardship.minimum_days_in_city} when the event happened "
            "(since {in_city_since})",
        ),
    ).alias("hardship_relief_eligible")
