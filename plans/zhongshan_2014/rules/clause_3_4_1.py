"""Clause 3.4.1: temporary hardship relief for non-registered residents after a sudden event."""

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
    type="bool",
    clause="3.4.1",
    start=START,
    label={"zh": "非本市户籍人员临时困难救助", "en": "temporary hardship relief"},
)
def hardship_relief_eligible(p):
    """A resident registered elsewhere in temporary hardship from a sudden cause gets relief within the window after the event (3.4.1)."""
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
    ).alias("hardship_relief_eligible")
