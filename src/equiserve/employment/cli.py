"""`equiserve employment ...`: the labour register's figures (3.7, issue 15)."""

import json

import typer

employment_app = typer.Typer(help="The labour register: unemployment rate (3.7).")


@employment_app.command("rate")
def rate(
    period: str = typer.Option(..., help="Half-year, e.g. 2015H2"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Print the registered urban unemployment rate (%) by town and city, on the period's last day."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.employment.selectors import rates_on
    from equiserve.monitoring.periods import UnknownPeriod, period_get

    try:
        found = period_get(period)
    except UnknownPeriod:
        raise typer.BadParameter(f"unknown period {period!r}") from None
    rates = rates_on(found.end)

    def plain(row: dict) -> dict:
        return {**row, "rate": None if row["rate"] is None else float(row["rate"])}

    result = {
        "period": found.id,
        "city": plain(rates["city"]),
        "towns": {code: plain(row) for code, row in rates["towns"].items()},
    }
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    city = result["city"]
    typer.echo(
        f"{found.id} city: {city['rate']} % "
        f"({city['unemployed']} of {city['labour_force']})"
    )
    for code, row in result["towns"].items():
        typer.echo(
            f"  {code}: {row['rate']} % ({row['unemployed']} of {row['labour_force']})"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(employment_app, name="employment")
