"""Clause 3.5: free basic funeral services — five items, with limits on storage."""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    clause="3.5",
    start=START,
    label={"zh": "免费殡葬基本服务", "en": "free basic funeral services"},
)
def funeral_eligible(p):
    """The family of a deceased registered resident or low-income person gets the five free funeral services, for deaths from 2014 (3.5)."""
    hukou = list(p("funeral.eligible_hukou") or [])
    return all_of(
        condition(
            "died",
            pl.col("death_given") & (pl.col("death_date") <= p.date),
            zh="已身故（死亡日期：{death_date}，不晚于评估日期）",
            en="has died (on {death_date}, not after the evaluation date)",
        ),
        condition(
            "under_plan",
            pl.col("death_date") >= p.lit("funeral.deaths_from"),
            zh="于{funeral.deaths_from}或之后身故，适用扩大后的免费范围",
            en="died on or after {funeral.deaths_from}, under the widened free services",
        ),
        condition(
            "covered_group",
            pl.col("hukou").is_in(hukou) | pl.col("low_income"),
            zh="属于免费对象：户籍在{funeral.eligible_hukou}之列，或为低收入家庭成员"
            "（户籍：{hukou}；低收入：{low_income}）",
            en="in a covered group: registration among {funeral.eligible_hukou}, or a "
            "low-income person (registration: {hukou}; low income: {low_income})",
        ),
    ).alias("funeral_eligible")


@variable(
    entity="person",
    type="int",
    unit="days",
    clause="3.5",
    start=START,
    gate="funeral_eligible",
    label={"zh": "遗体免费存放天数", "en": "days of free body storage"},
)
def funeral_free_storage_days(p):
    """Body storage is free for the days used up to the limit (“三天以内”); with no days given, the full limit (3.5)."""
    return _free_up_to_limit(
        p, "funeral.free_storage_days", "death_storage_days"
    ).alias("funeral_free_storage_days")


@funeral_free_storage_days.steps
def _storage_steps(row):
    return _limit_steps(
        row,
        "funeral.free_storage_days",
        "death_storage_days",
        "funeral_free_storage_days",
        zh=("存放天数", "天"),
        en=("storage days", "days"),
    )


@variable(
    entity="person",
    type="int",
    unit="years",
    clause="3.5",
    start=START,
    gate="funeral_eligible",
    label={"zh": "骨灰免费寄存年数", "en": "years of free ashes storage"},
)
def funeral_free_ash_storage_years(p):
    """Ashes storage in the funeral home is free for the years used up to the limit (“10年以内”); with no years given, the full limit (3.5)."""
    return _free_up_to_limit(
        p, "funeral.free_ash_storage_years", "death_ash_storage_years"
    ).alias("funeral_free_ash_storage_years")


@funeral_free_ash_storage_years.steps
def _ash_steps(row):
    return _limit_steps(
        row,
        "funeral.free_ash_storage_years",
        "death_ash_storage_years",
        "funeral_free_ash_storage_years",
        zh=("寄存年数", "年"),
        en=("storage years", "years"),
    )


@variable(
    entity="person",
    type="list",
    clause="3.5",
    start=START,
    gate="funeral_eligible",
    label={"zh": "免费殡葬服务项目", "en": "free funeral services"},
)
def funeral_free_items(p):
    """The free services are the plan's five items: transport, storage, farewell hall, cremation, ashes storage (3.5)."""
    items = pl.lit(list(p("funeral.services") or []), dtype=pl.List(pl.String))
    return (
        pl.when(pl.col("funeral_eligible"))
        .then(items)
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("funeral_free_items")
    )


def _free_up_to_limit(p, limit_parameter: str, used_column: str) -> pl.Expr:
    """Free for what was used, up to the limit; the whole limit when nothing is given."""
    limit = p.lit(limit_parameter)
    used = pl.col(used_column)
    return (
        pl.when(pl.col("funeral_eligible"))
        .then(
            pl.when(used.is_null())
            .then(limit)
            .otherwise(pl.min_horizontal(used, limit))
        )
        .otherwise(0)
    )


def _limit_steps(row, limit_parameter, used_column, output, *, zh, en):
    limit = row.param(limit_parameter)
    used = row[used_column]
    if used is None:
        return [
            row.t(
                zh=f"未填写{zh[0]}，按上限{limit}{zh[1]}",
                en=f"No {en[0]} given: the limit, {limit} {en[1]}",
            )
        ]
    return [f"min({used}, {limit}) = {row[output]}"]
