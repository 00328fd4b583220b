"""Reads of the labour register (3.7): the register on a day, the two targets.

The unemployment rate and the full-employment community assessment are
computed here from the register, for the pages, the API, the command line and
the monitoring indicators alike (issue 15, deliverable 6), by the plain
`equiserve.allocation.jobs` functions.
"""

import datetime as dt
from decimal import Decimal

import polars as pl
from django.db.models import Count, Q, Sum

from equiserve.allocation.jobs import community_assessment, unemployment_rates
from equiserve.employment.models import LabourStatus
from equiserve.geography.models import Village
from equiserve.rules.plan_gateway import parameter_on

REGISTER_SCHEMA = {
    "person": pl.Int64,
    "town": pl.Utf8,
    "village": pl.Utf8,
    "household": pl.Int64,
    "status": pl.Utf8,
    "urban": pl.Boolean,
    "community": pl.Utf8,
}


def register_on(day: dt.date, towns: list[str] | None = None) -> pl.DataFrame:
    """Return the register on `day`: one row per living person with a status then.

    Urban (城镇) is where the person lives: a community (社区) is urban, a
    village rural; a person placed in no village counts by their registration
    type. The person's town is where they are counted.
    """
    statuses = LabourStatus.objects.filter(
        Q(until__isnull=True) | Q(until__gte=day),
        since__lte=day,
    ).filter(Q(person__death_date__isnull=True) | Q(person__death_date__gt=day))
    if towns is not None:
        statuses = statuses.filter(person__town_id__in=towns)
    rows = statuses.values_list(
        "person_id",
        "person__town_id",
        "person__village_id",
        "person__household_id",
        "status",
        "person__village__kind",
        "person__hukou_kind",
    ).order_by("person_id")
    records = [
        (
            person,
            town,
            village,
            household,
            status,
            kind == "community" if kind else hukou_kind == "urban",
            village if kind == "community" else None,
        )
        for person, town, village, household, status, kind, hukou_kind in rows
    ]
    return pl.DataFrame(records, schema=REGISTER_SCHEMA, orient="row")


def rates_on(day: dt.date, towns: list[str] | None = None) -> dict:
    """Return the registered urban unemployment rate on `day` by town and city."""
    return unemployment_rates(register_on(day, towns))


def criteria_on(day: dt.date) -> dict:
    """Return the full-employment community criteria in force on `day` (parameters)."""
    return {
        "max_rate": Decimal(
            str(parameter_on("employment.full_employment_community_max_rate", day))
        ),
        "max_zero_employment_families": int(
            parameter_on("employment.full_employment_community_max_zero_families", day)
        ),
    }


def communities_on(day: dt.date, towns: list[str] | None = None) -> pl.DataFrame:
    """Return every community with its figures and whether it meets the standard.

    Communities no one on the register lives in are listed as not assessed
    (`meets` false): a community is never met for want of data.
    """
    register = register_on(day, towns).filter(pl.col("community").is_not_null())
    assessed = community_assessment(register, **criteria_on(day))
    communities = Village.objects.filter(kind="community")
    if towns is not None:
        communities = communities.filter(town_id__in=towns)
    listed = pl.DataFrame(
        list(
            communities.order_by("code").values_list(
                "code", "town_id", "name_zh", "name_en"
            )
        ),
        schema={
            "community": pl.Utf8,
            "town": pl.Utf8,
            "name_zh": pl.Utf8,
            "name_en": pl.Utf8,
        },
        orient="row",
    )
    return (
        listed.join(assessed, on="community", how="left")
        .with_columns(
            pl.col("meets").fill_null(False),
            pl.col("unemployed").is_not_null().alias("assessed"),
        )
        .sort("community")
    )


def training_ledger_totals(payments) -> list[dict]:
    """Return the ledger's totals per provider: completers paid for and yuan, exact."""
    totals = (
        payments.order_by()
        .values("provider_id", "provider__name")
        .annotate(completers=Count("pk"), amount=Sum("amount"))
        .order_by("provider__name")
    )
    return [
        {
            "provider": row["provider__name"],
            "completers": row["completers"],
            "amount": Decimal(row["amount"]).quantize(Decimal("0.01")),
        }
        for row in totals
    ]


def loan_totals(loan) -> dict:
    """Return a loan's interest and interest subsidy summed over its instalments."""
    sums = loan.instalments.aggregate(interest=Sum("interest"), subsidy=Sum("subsidy"))
    return {
        key: Decimal(value or 0).quantize(Decimal("0.01"))
        for key, value in sums.items()
    }


def amount_total(payments) -> Decimal:
    """Return the payments' total amount, exact to the fen (0.00 for none)."""
    total = payments.order_by().aggregate(total=Sum("amount"))["total"]
    return (total or Decimal("0")).quantize(Decimal("0.01"))
