"""Clause 3.4.3: the veterans' one-time self-employment grant, on one urban–rural standard.

From 2015 (the plan's single standard): retired conscripts and demobilized NCOs get
1 × the city's average annual wage of urban on-the-job employees of the year before
discharge, transferred NCOs 3 ×; demobilized and transferred NCOs get one more
month of that year's average wage for each year served as NCO. In 2014 the plan
only narrows the gap between urban and rural conscripts: a rural conscript gets an
illustrative share of the urban grant. Money is integer fen; the monthly wage is
the annual wage ÷ 12 rounded half up to the fen, and a fractional multiple is
rounded half up to the fen.
"""

from fractions import Fraction

import polars as pl

from equiserve.policy.compiler import div_round, mul_fraction
from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"
SINGLE_STANDARD = "2015-01-01"
NCO_KINDS = ["demobilized_nco", "transferred_nco"]


@variable(
    entity="person",
    type="int",
    output=False,
    clause="3.4.3",
    label={
        "zh": "工资所属统计年度（退役上年度）",
        "en": "wage year (the year before discharge)",
    },
)
def veteran_wage_year(p):
    """The grant reads the wage of the year before the year of discharge (3.4.3 “上年度”)."""
    return (pl.col("veteran_discharged").dt.year().cast(pl.Int64) - 1).alias(
        "veteran_wage_year"
    )


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    label={
        "zh": "退役上年度全市城镇单位在岗职工年平均工资",
        "en": "average annual wage of the year before discharge",
    },
)
def veteran_annual_wage(p):
    """The city's average annual wage of urban on-the-job employees in the year before discharge (3.4.3)."""
    return p.by_year(
        "statistics.average_annual_wage", pl.col("veteran_wage_year")
    ).alias("veteran_annual_wage")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    label={
        "zh": "退役上年度全市城镇单位在岗职工月平均工资",
        "en": "average monthly wage of the year before discharge",
    },
)
def veteran_monthly_wage(p):
    """The average monthly wage is the annual wage ÷ 12, rounded half up to the fen (3.4.3)."""
    return div_round(pl.col("veteran_annual_wage"), 12).alias("veteran_monthly_wage")


@variable(
    entity="person",
    type="bool",
    clause="3.4.3",
    start=START,
    label={
        "zh": "退役士兵自主就业一次性经济补助金",
        "en": "the veterans' grant",
    },
)
def veteran_grant_eligible(p):
    """A registered retired conscript, demobilized or transferred NCO discharged under the plan gets the one-time grant (3.4.3)."""
    return all_of(
        condition(
            "veteran",
            pl.col("veteran_kind").is_not_null(),
            zh="为退伍义务兵、复员士官或转业士官（类别：{veteran_kind}）",
            en="a retired conscript, demobilized NCO or transferred NCO (kind: {veteran_kind})",
        ),
        condition(
            "registered",
            pl.col("registered"),
            zh="本市户籍（户籍：{hukou}）",
            en="registered in Zhongshan (registration: {hukou})",
            unknown="passes",  # implied ("我市退役士兵"), not stated: only "elsewhere" excludes
        ),
        condition(
            "discharged",
            pl.col("veteran_discharged") <= p.date,
            zh="已退役（退役日期：{veteran_discharged}，不晚于评估日期）",
            en="already discharged (on {veteran_discharged}, not after the evaluation date)",
        ),
        condition(
            "under_plan",
            pl.col("veteran_discharged") >= p.lit("veteran.discharged_from"),
            zh="于{veteran.discharged_from}或之后退役，适用本方案标准",
            en="discharged on or after {veteran.discharged_from}, under the plan's standards",
        ),
    ).alias("veteran_grant_eligible")


def _multiples(p) -> dict[str, Fraction | None]:
    return {
        "conscript": p.ratio("veteran.grant_multiple_conscript"),
        "demobilized_nco": p.ratio("veteran.grant_multiple_demobilized_nco"),
        "transferred_nco": p.ratio("veteran.grant_multiple_transferred_nco"),
    }


def _by_kind(values: dict[str, pl.Expr]) -> pl.Expr:
    kind = pl.col("veteran_kind")
    expr = pl.when(kind == "conscript").then(values["conscript"])
    for name in NCO_KINDS:
        expr = expr.when(kind == name).then(values[name])
    return expr.otherwise(None)


def _float(value: Fraction | None) -> pl.Expr:
    return pl.lit(None if value is None else float(value), dtype=pl.Float64)


@variable(
    entity="person",
    type="float",
    clause="3.4.3",
    start=START,
    output=False,
    label={
        "zh": "补助金倍数（以年平均工资计）",
        "en": "grant multiple of the annual wage",
    },
)
def veteran_grant_multiple(p):
    """In 2014 a rural conscript gets the illustrative share of the urban conscript's multiple; NCOs their own multiples (3.4.3)."""
    multiples = _multiples(p)
    share = p.ratio("veteran.rural_conscript_share")
    urban = multiples["conscript"]
    rural = None if urban is None or share is None else urban * share
    values = {kind: _float(value) for kind, value in multiples.items()}
    values["conscript"] = (
        pl.when(pl.col("hukou_kind") == "rural")
        .then(_float(rural))
        .otherwise(_float(urban))
    )
    return _by_kind(values).alias("veteran_grant_multiple")


@veteran_grant_multiple.formula(start=SINGLE_STANDARD)
def veteran_grant_multiple_2015(p):
    """From 2015 one standard: the multiple depends on the kind of veteran only (3.4.3)."""
    return _by_kind(
        {kind: _float(value) for kind, value in _multiples(p).items()}
    ).alias("veteran_grant_multiple")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    start=START,
    output=False,
    label={"zh": "补助金基数部分", "en": "grant before the NCO supplement"},
)
def veteran_base_grant(p):
    """In 2014 the base grant is the multiple × last year's annual wage, a rural conscript's at the narrowed share (3.4.3)."""
    multiples = _multiples(p)
    share = p.ratio("veteran.rural_conscript_share")
    wage = pl.col("veteran_annual_wage")
    urban = multiples["conscript"]
    rural = None if urban is None or share is None else urban * share
    values = {kind: mul_fraction(wage, value) for kind, value in multiples.items()}
    values["conscript"] = (
        pl.when(pl.col("hukou_kind") == "rural")
        .then(mul_fraction(wage, rural))
        .otherwise(mul_fraction(wage, urban))
    )
    return _by_kind(values).alias("veteran_base_grant")


@veteran_base_grant.formula(start=SINGLE_STANDARD)
def veteran_base_grant_2015(p):
    """From 2015 the base grant is the kind's multiple × last year's annual wage, urban or rural alike (3.4.3)."""
    wage = pl.col("veteran_annual_wage")
    return _by_kind(
        {kind: mul_fraction(wage, value) for kind, value in _multiples(p).items()}
    ).alias("veteran_base_grant")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    start=START,
    output=False,
    label={"zh": "士官服役年限增发部分", "en": "NCO-years supplement"},
)
def veteran_nco_supplement(p):
    """Demobilized and transferred NCOs get one month's average wage more per year served as NCO (3.4.3)."""
    months = p.ratio("veteran.nco_months_per_year")
    years = pl.col("veteran_nco_years").fill_null(0)
    per_year = mul_fraction(pl.col("veteran_monthly_wage"), months)
    return (
        pl.when(pl.col("veteran_kind").is_in(NCO_KINDS))
        .then(years * per_year)
        .otherwise(0)
        .alias("veteran_nco_supplement")
    )


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    start=START,
    gate="veteran_grant_eligible",
    label={
        "zh": "退役士兵自主就业一次性经济补助金",
        "en": "veterans' one-time self-employment grant",
    },
)
def veteran_grant(p):
    """The grant is the base grant plus the NCO-years supplement; null when last year's wage is unknown (3.4.3)."""
    return (
        pl.when(pl.col("veteran_grant_eligible"))
        .then(pl.col("veteran_base_grant") + pl.col("veteran_nco_supplement"))
        .otherwise(0)
        .alias("veteran_grant")
    )


@veteran_grant.steps
def _grant_steps(row):
    if row["veteran_annual_wage"] is None:
        return [
            row.t(
                zh=f"缺少{row['veteran_wage_year']}年的年平均工资，无法计算补助金",
                en=f"The average annual wage of {row['veteran_wage_year']} is not known, "
                "so the grant cannot be computed",
            )
        ]
    annual, monthly = (
        row.money("veteran_annual_wage"),
        row.money("veteran_monthly_wage"),
    )
    multiple = row.number(row["veteran_grant_multiple"])
    steps = []
    base = f"{multiple} × {annual}"
    if row["veteran_kind"] in NCO_KINDS:
        steps.append(
            row.t(
                zh=f"月平均工资 = {annual} ÷ 12 = {monthly}（四舍五入到分）",
                en=f"Monthly wage = {annual} ÷ 12 = {monthly} (rounded half up to the fen)",
            )
        )
        months = row.param("veteran.nco_months_per_year")
        years = row["veteran_nco_years"] or 0
        per_year = "" if months is None or months == 1 else f"{row.number(months)} × "
        base = f"{base} + {years} × {per_year}{monthly}"
    steps.append(f"{base} = {row.money('veteran_grant')}")
    return steps
