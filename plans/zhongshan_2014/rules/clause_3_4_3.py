"""Clause 3.4.3: the veterans' one-time self-employment grant, on one urban–rural standard.

From 2015 (the plan's single standard): retired conscripts and demobilized NCOs get
1 × the city's average annual wage of urban on-the-job employees of the year before
discharge, transferred NCOs 3 ×; demobilized and transferred NCOs get one more
month of that year's average wage for each year served as NCO. In 2014 the plan
only narrows the gap between urban and rural conscripts: a rural conscript gets an
illustrative share of the urban grant. Money is integer fen; the monthly wage is
the annual wage ÷ 12 rounded half up to the fen, and a fractional multiple is
rounded half up to the fen.

The discharge fixes the grant (issue 12, point 2): the standard (the 2014
narrowing or the 2015 single standard) is the one in force on the day of
discharge, and the wage that of the year before it, whatever day the grant is
computed on — a veteran who applies later gets the same amount.
"""

from collections.abc import Callable
from fractions import Fraction

import polars as pl

from equiserve.policy.compiler import Params, div_round, mul_fraction
from equiserve.policy.explain import format_parameter_value
from equiserve.policy.messages import departments, message
from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"
NCO_KINDS = ["demobilized_nco", "transferred_nco"]
# The grant standard: read as in force on the day of discharge, not of evaluation.
STANDARD = (
    "veteran.grant_multiple_conscript",
    "veteran.grant_multiple_demobilized_nco",
    "veteran.grant_multiple_transferred_nco",
    "veteran.rural_conscript_share",
    "veteran.nco_months_per_year",
)


def on_discharge(p, build: Callable[[Params], pl.Expr]) -> pl.Expr:
    """Return `build(q)` per row, `q` giving the standard in force on the discharge date."""
    parameters = {name: p.parameter(name) for name in STANDARD}
    starts = sorted({v.start for item in parameters.values() for v in item.values})
    discharged = pl.col("veteran_discharged")
    chain = None
    for start in reversed(starts):  # the latest start the discharge reached wins
        value = build(Params(parameters, start))
        chain = (pl.when if chain is None else chain.when)(discharged >= start).then(
            value
        )
    return pl.lit(None) if chain is None else chain.otherwise(None)


def standard_on(row, name: str):
    """Return the value record of standard parameter `name` in force on the row's discharge."""
    day = row["veteran_discharged"]
    return None if day is None else row.compiled.parameters[name].at(day)


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
            pl.col("veteran_given")
            & pl.col("veteran_kind").is_in(["conscript", *NCO_KINDS]),
            zh="为退伍义务兵、复员士官或转业士官（类别：{veteran_kind}）",
            en="a retired conscript, demobilized NCO or transferred NCO (kind: {veteran_kind})",
        ),
        condition(
            "registered",
            pl.col("registered"),
            zh="本市户籍（户籍：{hukou}）",
            en="registered in Zhongshan (registration: {hukou})",
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


def _multiples(q: Params) -> dict[str, Fraction | None]:
    """Return each kind's multiple, a rural conscript's narrowed by the share in force."""
    share = q.ratio("veteran.rural_conscript_share")
    conscript = q.ratio("veteran.grant_multiple_conscript")
    return {
        "conscript": conscript,
        "rural_conscript": None
        if conscript is None or share is None
        else conscript * share,
        "demobilized_nco": q.ratio("veteran.grant_multiple_demobilized_nco"),
        "transferred_nco": q.ratio("veteran.grant_multiple_transferred_nco"),
    }


def _narrowed(q: Params) -> bool:
    """Return whether a rural conscript's grant differs from an urban one's."""
    share = q.ratio("veteran.rural_conscript_share")
    return share is None or share != 1


def _by_kind(values: dict[str, pl.Expr], narrowed: bool) -> pl.Expr:
    """Pick the kind's value; while the rural share narrows, a conscript's needs hukou_kind."""
    kind, hukou_kind = pl.col("veteran_kind"), pl.col("hukou_kind")
    conscript = values["conscript"]
    if narrowed:  # an unknown registration type never gets the urban grant
        conscript = (
            pl.when(hukou_kind == "rural")
            .then(values["rural_conscript"])
            .when(hukou_kind == "urban")
            .then(values["conscript"])
            .otherwise(None)
        )
    expr = pl.when(kind == "conscript").then(conscript)
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
    """The kind's multiple in force on the discharge date; discharged in 2014, a rural conscript's is narrowed by the illustrative share (3.4.3)."""
    return on_discharge(
        p,
        lambda q: _by_kind(
            {k: _float(v) for k, v in _multiples(q).items()}, _narrowed(q)
        ),
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
    """The base grant is the multiple in force on the discharge date × the annual wage of the year before discharge (3.4.3)."""
    wage = pl.col("veteran_annual_wage")
    return on_discharge(
        p,
        lambda q: _by_kind(
            {k: mul_fraction(wage, v) for k, v in _multiples(q).items()}, _narrowed(q)
        ),
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
    years = pl.col("veteran_nco_years").fill_null(0)
    per_year = on_discharge(
        p,
        lambda q: mul_fraction(
            pl.col("veteran_monthly_wage"), q.ratio("veteran.nco_months_per_year")
        ),
    )
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
    steps = _standard_steps(row)
    base = f"{multiple} × {annual}"
    if row["veteran_kind"] in NCO_KINDS:
        steps.append(
            row.t(
                zh=f"月平均工资 = {annual} ÷ 12 = {monthly}（四舍五入到分）",
                en=f"Monthly wage = {annual} ÷ 12 = {monthly} (rounded half up to the fen)",
            )
        )
        found = standard_on(row, "veteran.nco_months_per_year")
        months = None if found is None else found.value
        years = row["veteran_nco_years"] or 0
        per_year = "" if months is None or months == 1 else f"{row.number(months)} × "
        base = f"{base} + {years} × {per_year}{monthly}"
    steps.append(f"{base} = {row.money('veteran_grant')}")
    return steps


def _standard_steps(row) -> list[str]:
    """State the standard in force on the discharge date, value by value, with its status."""
    kind = row["veteran_kind"]
    names = [f"veteran.grant_multiple_{kind}"]
    if kind == "conscript" and row["hukou_kind"] == "rural":
        names.append("veteran.rural_conscript_share")
    if kind in NCO_KINDS:
        names.append("veteran.nco_months_per_year")
    steps = [
        row.t(
            zh=f"按退役日期{row['veteran_discharged']}施行的标准计算（与申请或计算日期无关）",
            en=f"The standard in force on the discharge date, {row['veteran_discharged']}, "
            "applies (whatever day the grant is computed on)",
        )
    ]
    for name in names:
        parameter = row.compiled.parameters[name]
        found = standard_on(row, name)
        if found is None:
            continue
        steps.append(
            message(
                "explain",
                "parameter",
                row.lang,
                label=parameter.label[row.lang],
                name=name,
                value=format_parameter_value(
                    found.value, parameter.type, parameter.unit, row.lang
                ),
                start=found.start_text,
                status=message(
                    "statuses",
                    found.status,
                    row.lang,
                    owner=departments()
                    .get(parameter.owner, {})
                    .get(row.lang, parameter.owner),
                ),
                reference=found.reference,
            )
        )
    return steps


# The other half of the clause's title: the conscripts' family allowance
# (义务兵家庭优待金), paid each year to the family of a conscript serving, on one
# urban–rural standard from 2015 (issue 12, point 3).


@variable(
    entity="person",
    type="bool",
    clause="3.4.3",
    start=START,
    label={
        "zh": "义务兵家庭优待金",
        "en": "the conscripts' family allowance",
    },
)
def conscript_family_allowance_eligible(p):
    """The family of a conscript enlisted from Zhongshan gets the yearly allowance while the conscript serves (3.4.3)."""
    return all_of(
        condition(
            "serving",
            pl.col("conscription_given") & (pl.col("conscription_enlisted") <= p.date),
            zh="为现役义务兵（入伍日期：{conscription_enlisted}，不晚于评估日期）",
            en="a serving conscript (enlisted on {conscription_enlisted}, "
            "not after the evaluation date)",
        ),
        condition(
            "not_discharged",
            ~pl.col("veteran_given") | (pl.col("veteran_discharged") > p.date),
            zh="尚未退役（退役日期：{veteran_discharged}）",
            en="not yet discharged (discharged on: {veteran_discharged})",
        ),
        condition(
            "registered",
            pl.col("registered"),
            zh="由本市入伍（户籍：{hukou}）",
            en="enlisted from Zhongshan (registration: {hukou})",
        ),
    ).alias("conscript_family_allowance_eligible")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.4.3",
    start=START,
    gate="conscript_family_allowance_eligible",
    label={
        "zh": "义务兵家庭优待金（年）",
        "en": "conscripts' family allowance a year",
    },
)
def conscript_family_allowance(p):
    """The allowance is the year's urban standard; in 2014 a rural conscript's family gets the narrowed share, from 2015 one standard (3.4.3)."""
    urban = p.lit("veteran.family_allowance_per_year")
    share = p.ratio("veteran.family_allowance_rural_share")
    amount = urban
    if share is None or share != 1:  # an unknown registration type gets no urban rate
        amount = (
            pl.when(pl.col("hukou_kind") == "rural")
            .then(mul_fraction(urban, share))
            .when(pl.col("hukou_kind") == "urban")
            .then(urban)
            .otherwise(None)
        )
    return (
        pl.when(pl.col("conscript_family_allowance_eligible"))
        .then(amount)
        .otherwise(0)
        .alias("conscript_family_allowance")
    )


@conscript_family_allowance.steps
def _allowance_steps(row):
    amount = row.money("conscript_family_allowance")
    share = row.param("veteran.family_allowance_rural_share")
    if row["hukou_kind"] == "rural" and share is not None and share != 1:
        return [
            row.t(
                zh=f"农村籍：城镇标准 × {row.number(share)} = {amount}/年",
                en=f"Rural registration: the urban standard × {row.number(share)} "
                f"= {amount} a year",
            )
        ]
    return [
        row.t(
            zh=f"优待金 = 城乡统一标准 {amount}/年",
            en=f"Allowance = the one urban–rural standard, {amount} a year",
        )
    ]
