"""Commands: `equiserve simulate` (a population run) and `equiserve budget` (clause 4.3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(
            f"{text!r} is not a valid date (YYYY-MM-DD)", param_hint="--date"
        ) from error


def _cny(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def simulate(
    date: Annotated[
        str, typer.Option("--date", help="Day the rules are applied on (YYYY-MM-DD).")
    ],
    population: Annotated[
        Path,
        typer.Option(
            "--population",
            help="Directory with persons.parquet and households.parquet.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the results.")],
    reform: Annotated[
        Path | None,
        typer.Option("--reform", help="A reform YAML file: run baseline and reform."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Address of a Dask scheduler (tcp://host:8786): evaluate there.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Start a local Dask cluster of N worker processes and evaluate there.",
        ),
    ] = None,
) -> None:
    """Evaluate a synthetic population; write per-person results and the cost table.

    Writes persons.parquet and households.parquet (money in integer fen), costs.parquet
    and costs.csv (programme × town × registered/migrant: population, eligible,
    coverage, cost in CNY to the fen) and summary.json; with --reform also the
    reform's results and, in the table, reform − baseline.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from equiserve.policy.compiler import PlanLoadError
    from equiserve.simulation.run import PopulationError, population_files
    from equiserve.simulation.run import simulate as run_simulation

    day = _date(date)
    try:
        population_files(population)
    except PopulationError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("persons"),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
    )
    try:
        with bar:
            task = bar.add_task(f"Evaluating on {day}", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            if cluster or workers:
                from equiserve.simulation.distributed import simulate_distributed

                result = simulate_distributed(
                    date=day,
                    population=population,
                    out=out,
                    reform=reform,
                    cluster=cluster,
                    workers=workers,
                    on_batch=advance,
                )
            else:
                result = run_simulation(
                    date=day,
                    population=population,
                    out=out,
                    reform=reform,
                    on_batch=advance,
                )
    except (PopulationError, PlanLoadError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    _print_totals(result)


def _print_totals(result) -> None:
    from decimal import Decimal

    from rich.console import Console
    from rich.table import Table

    from equiserve.simulation.run import summary

    data = summary(result)
    compared = result.reform is not None
    title = (
        f"{result.persons:,} persons, {result.households:,} households on {result.date}"
    )
    if compared:
        title += f" — reform {result.reform!r} (difference = reform − baseline)"
    table = Table(title=title)
    for name in ("programme", "clause", "basis"):
        table.add_column(name, overflow="fold")
    if compared:
        for name in ("eligible", "eligible (reform)", "Δ eligible"):
            table.add_column(name, justify="right", no_wrap=True)
        for name in ("undetermined", "undetermined (reform)"):
            table.add_column(name, justify="right", no_wrap=True)
        for name in ("cost CNY", "cost (reform)", "Δ cost"):
            table.add_column(name, justify="right", no_wrap=True)
    else:
        table.add_column("eligible", justify="right", no_wrap=True)
        table.add_column("undetermined", justify="right", no_wrap=True)
        table.add_column("cost CNY", justify="right", no_wrap=True)
    for entry in data["totals"]:
        cells = [entry["programme"], entry["clause"], entry["basis"]]
        if compared:
            cells += [f"{entry[f'eligible_{s}']:,}" for s in ("baseline", "reform")]
            cells.append(f"{entry['eligible_difference']:+,}")
            cells += [f"{entry[f'undetermined_{s}']:,}" for s in ("baseline", "reform")]
            cells += [
                _cny(Decimal(entry[f"cost_{s}"]))
                for s in ("baseline", "reform", "difference")
            ]
        else:
            cells += [
                f"{entry['eligible']:,}",
                f"{entry['undetermined']:,}",
                _cny(Decimal(entry["cost"])),
            ]
        table.add_row(*cells)
    console = Console()
    console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")
    console.print(
        "Unit costs are illustrative parameters (plans/zhongshan_2014/parameters/costs/); "
        "one-time benefits count every event covered up to the date."
    )
    console.print(
        "undetermined: the rules cannot decide for a fact the population does not "
        "hold; counted neither eligible nor not (issue 12)."
    )
    console.print(f"written in {result.seconds:.1f} s to {result.out}/")


def budget(
    year: Annotated[int, typer.Option("--year", help="Budget year, e.g. 2015.")],
    population: Annotated[
        Path | None,
        typer.Option(
            "--population",
            help="Directory with persons.parquet (default: a 0.01 synthetic "
            "population, seed 1, generated once into var/).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Estimate each programme's cost in a year (clause 4.3), scaled up to the city.

    Annual programmes are evaluated on 1 July of the year; one-time benefits count
    the events dated in the year, each evaluated on its day. Every unit cost is
    illustrative.
    """
    from equiserve.simulation.budget import budget as estimate
    from equiserve.simulation.run import PopulationError

    def say(message: str) -> None:
        if not as_json:
            typer.echo(message, err=True)

    try:
        result = estimate(year, population, progress=say)
    except PopulationError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_budget(result)


def _print_budget(result) -> None:
    from decimal import Decimal

    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"Population: {result.population} — {result.persons:,} persons"
        + (" (generated now)" if result.generated else "")
    )
    console.print(
        f"Scaled up to the city: × {float(result.factor):,.4f} "
        f"(city 2015 residents {result.city_persons:,} ÷ {result.persons:,} persons)"
    )
    console.print(
        f"Annual programmes as on {result.year}-07-01; one-time benefits for events "
        f"dated in {result.year}, each evaluated on its day."
    )
    table = Table(title=f"Clause 4.3 cost estimate for {result.year} (CNY)")
    for name in ("programme", "clause", "department", "method"):
        table.add_column(name, overflow="fold")
    table.add_column("in file", justify="right", no_wrap=True)
    table.add_column("city", justify="right", no_wrap=True)
    table.add_column("city cost CNY", justify="right", no_wrap=True)
    for line in result.lines:
        cost = None if line.city_fen is None else Decimal(line.city_fen).scaleb(-2)
        if line.no_data:  # the file lacks the facts: not a zero (issue 12, point 7)
            table.add_row(
                line.programme.name,
                line.programme.clause,
                line.programme.owner,
                line.method,
                "no data",
                "no data",
                "no data",
            )
            continue
        table.add_row(
            line.programme.name,
            line.programme.clause,
            line.programme.owner,
            line.method,
            f"{line.eligible:,}",
            f"{line.city_eligible:,}",
            _cny(cost),
        )
    total = result.total_fen
    table.add_row(
        "total (lines with data)"
        if any(line.no_data for line in result.lines)
        else "total",
        "",
        "",
        "",
        "",
        "",
        _cny(None if total is None else Decimal(total).scaleb(-2)),
    )
    console.print(table)
    for line in result.lines:
        if line.note:
            console.print(f"{line.programme.name}: {line.note}")
        if line.missing:
            console.print(
                f"{line.programme.name}: {line.missing:,} eligible without a known cost"
            )
        if line.undetermined:
            console.print(
                f"{line.programme.name}: {line.undetermined:,} in the file undetermined "
                "for a fact it does not hold, not counted (issue 12)"
            )
    console.print(
        "Every unit cost is an illustrative parameter set for the demonstration "
        "(plans/zhongshan_2014/parameters/costs/), not the plan's figure."
    )


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
    app.command("budget")(budget)
