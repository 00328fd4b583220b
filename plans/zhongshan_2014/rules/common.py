"""Values several clauses read: age, registration, and household size and points."""

import polars as pl

from equiserve.policy.model import members, variable


@variable(
    entity="person",
    type="int",
    unit="age",
    output=False,
    label={"zh": "周岁年龄", "en": "age in completed years"},
)
def age(p):
    """Age in completed years on the evaluation date; born on 29 February, a year passes on 1 March."""
    birth = pl.col("birth_date")
    not_yet = (
        birth.dt.month().cast(pl.Int64) * 100 + birth.dt.day().cast(pl.Int64)
    ) > (p.date.month * 100 + p.date.day)
    return (
        p.date.year - birth.dt.year().cast(pl.Int64) - not_yet.cast(pl.Int64)
    ).alias("age")


@variable(
    entity="person",
    type="bool",
    output=False,
    label={"zh": "本市户籍", "en": "registered in Zhongshan"},
)
def registered(p):
    """A person is registered when their hukou is in Zhongshan."""
    return (pl.col("hukou") == "zhongshan").alias("registered")


@variable(
    entity="household",
    type="int",
    output=False,
    label={"zh": "本次提交的家庭成员数", "en": "members given in this request"},
)
def household_members(p):
    """Count the household's members among the persons evaluated."""
    return members(how="count").alias("household_members")


@variable(
    entity="household",
    type="int",
    unit="persons",
    clause="3.8",
    label={"zh": "家庭人口数", "en": "household size"},
)
def household_size(p):
    """The household's size: the size given, else the members evaluated (3.8 per-person limits)."""
    return (
        pl.when(pl.col("size").is_not_null())
        .then(pl.col("size"))
        .when(pl.col("household_members") > 0)
        .then(pl.col("household_members"))
        .otherwise(None)
        .alias("household_size")
    )


@variable(
    entity="household",
    type="bool",
    clause="3.8",
    label={"zh": "本市户籍家庭", "en": "registered household"},
)
def household_registered(p):
    """A household is registered when one of its members is registered in Zhongshan (3.8)."""
    return members("registered", how="any").alias("household_registered")


@variable(
    entity="household",
    type="float",
    unit="points",
    output=False,
    label={"zh": "家庭成员最高积分", "en": "best points score among the members"},
)
def household_points(p):
    """The best points score among the household's members (the applicant's, 3.8)."""
    return members("points", how="max").alias("household_points")
