"""Clause 3.7: employment assistance (就业援助) and community employment subsidies.

A person with employment difficulty (就业困难人员) is registered unemployed and in
one of the categories the register's facts support: by age (women 40+, men 50+),
long-term unemployed, a member of a zero-employment family (零就业家庭), or of a
low-income family, a holder of a disability certificate (the disability register's),
or a member of a household receiving the minimum living allowance (低保, which the
officer states: the project records no 低保 payments). Every threshold is an illustrative parameter owned by the human
resources and social security bureau (issue 15, deliverable 2). An unknown fact never
counts in the person's favour: a category it decides is undetermined, not granted.
No registration given means not registered (the labour register is the record of
who is), as an absent veteran or death is no such event (issue 12).
"""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={"zh": "就业困难人员（年龄）", "en": "employment difficulty by age"},
)
def difficulty_by_age(p):
    """A woman from the women's age and a man from the men's has employment difficulty by age (3.7; 以上 includes the number)."""
    threshold = (
        pl.when(pl.col("sex") == "F")
        .then(p.lit("employment.difficulty_min_age_women"))
        .when(pl.col("sex") == "M")
        .then(p.lit("employment.difficulty_min_age_men"))
        .otherwise(None)
    )
    return (pl.col("age") >= threshold).alias("difficulty_by_age")


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={"zh": "就业困难人员（长期失业）", "en": "long-term unemployed"},
)
def difficulty_long_term(p):
    """A person registered unemployed for the parameter's months or more, to the day, is long-term unemployed (3.7)."""
    months = p("employment.long_term_unemployed_months")
    if months is None:
        return pl.lit(None, dtype=pl.Boolean).alias("difficulty_long_term")
    # offset_by keeps the day, or the month's last day when it has fewer (31 January
    # + 1 month is 28 February), as employment.rules.months_later does.
    # No registration given is none (the register knows who is registered), as an
    # absent veteran or death is no such event (issue 12): known, not unknown.
    since = pl.col("unemployed_since")
    return (
        since.is_not_null()
        & (since.dt.offset_by(f"{int(months)}mo") <= pl.lit(p.date)).fill_null(False)
    ).alias("difficulty_long_term")


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={"zh": "就业困难人员（残疾人）", "en": "employment difficulty by disability"},
)
def difficulty_disabled(p):
    """A holder of a disability certificate has employment difficulty while the bureau counts disabled persons (3.7)."""
    covered = pl.lit(bool(p("employment.difficulty_covers_disabled")))
    return (pl.col("disability_certificate") & covered).alias("difficulty_disabled")


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={
        "zh": "就业困难人员（低保家庭）",
        "en": "employment difficulty in a minimum-living-allowance household",
    },
)
def difficulty_minimum_living_allowance(p):
    """A member of a household receiving 低保 has employment difficulty while the bureau counts such households (3.7)."""
    covered = pl.lit(bool(p("employment.difficulty_covers_minimum_living_allowance")))
    return (pl.col("minimum_living_allowance") & covered).alias(
        "difficulty_minimum_living_allowance"
    )


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={
        "zh": "就业困难人员（类别）",
        "en": "in a category of employment difficulty",
    },
)
def employment_difficulty(p):
    """A person is in a category of employment difficulty when any category holds; an unknown one never makes it hold (3.7)."""
    return (
        pl.col("difficulty_by_age")
        | pl.col("difficulty_long_term")
        | pl.col("zero_employment_family")
        | pl.col("low_income")
        | pl.col("difficulty_disabled")
        | pl.col("difficulty_minimum_living_allowance")
    ).alias("employment_difficulty")


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={"zh": "就业困难人员援助", "en": "employment-difficulty assistance"},
)
def employment_assistance_eligible(p):
    """A registered unemployed person in a category of employment difficulty gets employment assistance (3.7)."""
    return all_of(
        condition(
            "registered_unemployed",
            pl.col("unemployed_since").is_not_null()
            & (pl.col("unemployed_since") <= pl.lit(p.date)).fill_null(False),
            zh="已办理失业登记（登记日期：{unemployed_since}）",
            en="registered unemployed (since {unemployed_since})",
        ),
        condition(
            "difficulty",
            pl.col("employment_difficulty"),
            zh="属于就业困难人员：女{employment.difficulty_min_age_women}以上或"
            "男{employment.difficulty_min_age_men}以上、连续失业"
            "{employment.long_term_unemployed_months}以上、零就业家庭成员、低收入家庭成员、"
            "持残疾人证或低保家庭成员",
            en="has employment difficulty: a woman of "
            "{employment.difficulty_min_age_women} or a man of "
            "{employment.difficulty_min_age_men} or more, unemployed for "
            "{employment.long_term_unemployed_months} or more, in a "
            "zero-employment or low-income family, holding a disability certificate "
            "or in a household receiving the minimum living allowance",
        ),
    ).alias("employment_assistance_eligible")


@variable(
    entity="person",
    type="bool",
    clause="3.7",
    start=START,
    label={"zh": "社区就业补贴", "en": "community employment subsidy"},
)
def community_employment_subsidy_eligible(p):
    """A person identified as having employment difficulty and placed in a community post (社区就业岗位) brings a subsidy for the months worked (3.7)."""
    return all_of(
        condition(
            "identified",
            pl.col("employment_difficulty_identified"),
            zh="已认定为就业困难人员（就业援助已批准）",
            en="identified as having employment difficulty (assistance approved)",
        ),
        condition(
            "months",
            pl.col("community_post_months") >= 1,
            zh="在社区就业岗位工作满1个月（已工作{community_post_months}个月）",
            en="worked a month or more in a community post "
            "({community_post_months} months)",
        ),
    ).alias("community_employment_subsidy_eligible")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.7",
    start=START,
    gate="community_employment_subsidy_eligible",
    label={"zh": "社区就业补贴金额", "en": "community employment subsidy"},
)
def community_employment_subsidy(p):
    """The subsidy is the monthly amount times the months worked, at most the parameter's months (3.7); money in fen."""
    months = pl.min_horizontal(
        pl.col("community_post_months").cast(pl.Int64),
        p.lit("employment.community_subsidy_max_months").cast(pl.Int64),
    )
    return (p.lit("employment.community_subsidy_per_month") * months).alias(
        "community_employment_subsidy"
    )
