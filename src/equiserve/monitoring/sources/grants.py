"""Count grants decided and paid, and those paid at the one urban–rural standard (3.4.3).

An indicator of the single standard is measured from what was paid, never read
from the parameter that declares it (issue 13, deliverable 4). A grant counts
in a period when a payment under its entitlement in force falls in the period;
its applicant's registration is the one the case was decided on (the frozen
assessment's inputs). It is at the unified standard when everything paid by
the period's end reaches what the engine grants the same applicant, on the same
frozen facts and day, with urban registration: the urban standard, which the
plan makes everyone's from 2015.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl
from django.apps import apps

from equiserve.monitoring.sources import Atom, Key, Request, TermRef, add_atoms

PAID, UNIFIED = "paid", "unified"
COUNTS = (PAID, UNIFIED)
IDS = ("id", "household", "guardian")


def _plan():
    from equiserve.rules import plan_gateway

    return plan_gateway.plan()


def _payments(programme: str, request: Request):
    """Return the payments of the programme's entitlements in force, one row each."""
    from equiserve.cases.models import PAYMENT, Delivery

    last = max(period.end for period in request.periods)
    payments = Delivery.objects.filter(
        item=PAYMENT,
        case__programme=programme,
        entitlement__active=True,
        delivered_on__lte=last,
    )
    if request.towns is not None:
        payments = payments.filter(case__town_id__in=request.towns)
    return pl.DataFrame(
        list(
            payments.order_by().values_list(
                "entitlement_id", "case__town_id", "delivered_on", "amount"
            )
        ),
        schema={
            "entitlement": pl.Int64,
            "town": pl.String,
            "delivered_on": pl.Date,
            "amount": pl.Decimal(18, 2),
        },
        orient="row",
    )


def _urban_standard(programme: str, entitlements: list[int]) -> pl.DataFrame:
    """Return {entitlement, rural, standard (fen)}: the engine's urban grant per case.

    One engine evaluation per day of assessment, over the frozen request rows of
    every case assessed that day; ids are prefixed with the entitlement so the
    rows of different cases never meet.
    """
    from equiserve.cases.models import Entitlement
    from equiserve.cases.programmes import programme as programme_of

    amount = programme_of(programme).amount_output
    rows_by_day: dict = defaultdict(list)
    rural: dict[int, bool] = {}
    frozen = Entitlement.objects.filter(pk__in=entitlements).values_list(
        "pk", "decision__assessment__evaluated_on", "decision__assessment__inputs"
    )
    for pk, day, inputs in frozen.iterator(chunk_size=2000):
        persons = (inputs or {}).get("persons") or []
        if not persons:
            continue
        rural[pk] = persons[0].get("hukou_kind") == "rural"
        for index, row in enumerate(persons):
            row = {
                key: f"{pk}:{value}" if key in IDS and value is not None else value
                for key, value in row.items()
            }
            if index == 0:
                row["hukou_kind"] = "urban"
            rows_by_day[day].append(row)
    found = []
    for day, rows in rows_by_day.items():
        columns = sorted({key for row in rows for key in row})
        rows = [{key: row.get(key) for key in columns} for row in rows]
        # The engine types the frozen JSON (ISO dates, CNY) as it types any input.
        frame = pl.DataFrame(rows, infer_schema_length=None)
        evaluation = _plan().evaluate(frame, date=day, outputs=[amount])
        found.append(
            evaluation.persons.select(
                pl.col("id")
                .str.split(":")
                .list.first()
                .cast(pl.Int64)
                .alias("entitlement"),
                pl.col(amount).alias("standard"),
            )
        )
    standards = (
        pl.concat(found)
        if found
        else pl.DataFrame(schema={"entitlement": pl.Int64, "standard": pl.Int64})
    )
    # The applicant's row is the case's: other rows (a guardian) carry no grant.
    flags = pl.DataFrame(
        {"entitlement": list(rural), "rural": list(rural.values())},
        schema={"entitlement": pl.Int64, "rural": pl.Boolean},
    )
    return (
        standards.group_by("entitlement")
        .agg(pl.col("standard").max())
        .join(flags, on="entitlement")
    )


def collect_grants(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count rural applicants' grants paid in each period, and those at the urban standard."""
    if not apps.is_installed("equiserve.cases"):
        return
    atoms = []
    for programme in sorted({ref.term.options["programme"] for ref in refs}):
        payments = _payments(programme, request)
        if payments.is_empty():
            continue
        standards = request.remember(
            ("grant_standard", programme),
            lambda p=programme, e=payments: _urban_standard(
                p, e["entitlement"].unique().to_list()
            ),
        )
        for period in request.periods:
            grants = (
                payments.filter(pl.col("delivered_on") <= period.end)
                .group_by("entitlement", "town")
                .agg(
                    (pl.col("amount").cast(pl.Float64).sum() * 100)
                    .round(0)
                    .alias("paid"),
                    pl.col("delivered_on").max().alias("last"),
                )
                .filter(pl.col("last") >= period.start)
                .join(standards, on="entitlement")
                .filter(pl.col("rural"))
                .with_columns(
                    (pl.col("paid") >= pl.col("standard"))
                    .fill_null(False)
                    .alias(UNIFIED)
                )
                .group_by("town")
                .agg(pl.len().alias(PAID), pl.col(UNIFIED).sum())
            )
            for ref in refs:
                if (
                    ref.term.options["programme"] != programme
                    or period not in ref.periods
                ):
                    continue
                count = ref.term.options["count"]
                for row in grants.iter_rows(named=True):
                    atoms.append(
                        Atom(ref, period, row["town"], None, "", float(row[count]))
                    )
    add_atoms(out, atoms, request)
