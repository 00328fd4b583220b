"""`equiserve budget-estimate`: store a year's clause 4.3 estimate for budget execution."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def budget_estimate(
    year: Annotated[int, typer.Option("--year", help="The budget year (2014–2016).")],
    run: Annotated[
        Path | None,
        typer.Option("--run", help="A whole-city run's folder (simulate --out)."),
    ] = None,
    city: Annotated[
        bool,
        typer.Option(
            "--city/--as-run",
            help="Scale the run to the city's residents, or keep its own figures.",
        ),
    ] = True,
) -> None:
    """Store the estimate: programmes from a run, facility shortfalls, projects."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.budget.estimate import city_scale, estimates_refresh

    scale = city_scale(run) if (run is not None and city) else None
    counts = estimates_refresh(
        year=year, run_dir=run, scale=scale, facilities_on=dt.date(year, 12, 31)
    )
    for kind, count in counts.items():
        typer.echo(f"{kind}: {count} estimate rows")


def register(app: typer.Typer) -> None:
    app.command("budget-estimate")(budget_estimate)
