"""Clause 3.8: household eligibility for public rental housing.

Registered households qualify when they hold urban (城镇) registration and are
within the income, floor-area-per-person and asset limits (the plan relaxes these
limits step by step). Migrant households are extended the same security "through
the points platform, under a total quota": they are tested on their own income,
floor-area and asset limits (relaxed, not waived; issue 12, point 1), and on the
best member's points and the year's quota. Limits are compared exactly: income in
integer fen against limit × 12 × size, floor area against limit × size.
"""

import polars as pl

from equiserve.policy.model import all_of, condition, members, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    output=False,
    clause="3.8",
    label={"zh": "本市城镇户籍", "en": "urban registration in Zhongshan"},
)
def registered_urban(p):
    """A person holds urban registration in Zhongshan (3.8 “城镇……家庭”)."""
    return (pl.col("registered") & (pl.col("hukou_kind") == "urban")).alias(
        "registered_urban"
    )


@variable(
    entity="household",
    type="bool",
    output=False,
    clause="3.8",
    label={"zh": "城镇户籍家庭", "en": "urban registered household"},
)
def household_urban(p):
    """A registered household is urban when a registered member holds urban registration, as the applicant must (3.8)."""
    return members("registered_urban", how="any").alias("household_urban")


@variable(
    entity="household",
    type="money",
    unit="CNY/month",
    clause="3.8",
    label={"zh": "家庭人均月收入", "en": "monthly income per person"},
)
def household_income_per_person_month(p):
    """Monthly income per person is the annual income ÷ 12 ÷ size, rounded half up to the fen (3.8)."""
    size = pl.col("household_size")
    safe = pl.when(size > 0).then(size)  # when/then does not short-circuit
    return (
        pl.when(size > 0)
        .then((pl.col("annual_income") * 2 + 12 * safe) // (24 * safe))
        .otherwise(None)
        .alias("household_income_per_person_month")
    )


@variable(
    entity="household",
    type="float",
    unit="m2/person",
    clause="3.8",
    label={"zh": "人均住房建筑面积", "en": "floor area per person"},
)
def household_floor_area_per_person(p):
    """Floor area per person is the floor area ÷ size (3.8)."""
    size = pl.col("household_size")
    return (
        pl.when(size > 0)
        .then(pl.col("floor_area_m2") / pl.when(size > 0).then(size))
        .otherwise(None)
        .alias("household_floor_area_per_person")
    )


@variable(
    entity="household",
    type="bool",
    clause="3.8",
    start=START,
    label={"zh": "公共租赁住房申请资格", "en": "public rental housing"},
)
def public_rental_housing_eligible(p):
    """An urban registered household within the income, floor-area and asset limits, or a migrant household within the migrants' limits with enough points in a year with a quota, may rent public housing (3.8)."""
    registered = pl.col("household_registered")
    migrant = registered.not_()
    size = pl.col("household_size")
    quota = p.by_year("housing.migrant_annual_quota", pl.lit(p.date.year))
    return all_of(
        condition(
            "size",
            size >= 1,
            zh="家庭人口数已知（{household_size}）",
            en="the household size is known ({household_size})",
        ),
        condition(
            "urban",
            pl.col("household_urban"),
            when=registered,
            zh="户籍家庭为城镇户籍（城镇户籍：{household_urban}）",
            en="a registered household holds urban registration (urban: {household_urban})",
        ),
        *_within_limits(
            p, "", registered, zh="户籍家庭", en="a registered household's"
        ),
        *_within_limits(
            p, "migrant_", migrant, zh="异地务工家庭", en="a migrant household's"
        ),
        condition(
            "points",
            pl.col("household_points") >= p.lit("housing.migrant_minimum_points"),
            when=migrant,
            zh="异地务工家庭成员积分不低于{housing.migrant_minimum_points}（最高积分：{household_points}）",
            en="a migrant household's best points score is at least "
            "{housing.migrant_minimum_points} (best score: {household_points})",
        ),
        condition(
            "quota",
            quota > 0,
            when=migrant,
            zh="本年度有异地务工人员公租房配租总量",
            en="the year has a quota of public rental housing for migrants",
        ),
    ).alias("public_rental_housing_eligible")


def _within_limits(p, prefix: str, route: pl.Expr, *, zh: str, en: str) -> list:
    """Return the income, floor-area and asset conditions of one route (3.8).

    Registered households read `housing.<limit>`, migrant households their own
    `housing.migrant_<limit>` (relaxed, not waived; issue 12, point 1); assets
    count only when given.
    """
    size = pl.col("household_size")
    income, area, assets = (
        f"housing.{prefix}{name}"
        for name in (
            "income_limit_per_person_month",
            "floor_area_limit_per_person",
            "asset_limit",
        )
    )
    return [
        condition(
            f"{prefix}income",
            pl.col("annual_income") <= p.lit(income) * 12 * size,
            when=route,
            zh=f"{zh}人均月收入不高于{{{income}}}（{{household_income_per_person_month}}）",
            en=f"{en} monthly income per person is at most {{{income}}} "
            "({household_income_per_person_month})",
        ),
        condition(
            f"{prefix}floor_area",
            pl.col("floor_area_m2") <= p.lit(area) * size,
            when=route,
            zh=f"{zh}人均住房建筑面积不超过{{{area}}}（{{household_floor_area_per_person}}）",
            en=f"{en} floor area per person is at most {{{area}}} "
            "({household_floor_area_per_person})",
        ),
        condition(
            f"{prefix}assets",
            pl.col("assets") <= p.lit(assets),
            when=route & pl.col("assets").is_not_null(),
            zh=f"{zh}资产不超过{{{assets}}}（{{assets}}）",
            en=f"{en} assets are at most {{{assets}}} ({{assets}})",
        ),
    ]
