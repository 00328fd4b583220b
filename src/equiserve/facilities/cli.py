"""Commands: `equiserve standards check`, `equiserve access fitness-circle`, imports.

Each prints a table, or with `--json` the same data the pages and the XLSX
export are made from.
"""

import datetime as dt
import json
from pathlib import Path

import typer

standards_app = typer.Typer(
    help="The plan's facility standards (3.1.3, 3.2, 3.6, 3.9)."
)
access_app = typer.Typer(
    help="Access to facilities: the 15-minute fitness circle, 2SFCA."
)
facilities_app = typer.Typer(help="The facility registry: import, export, demo data.")


def _parse_date(value: str | None) -> dt.date:
    from equiserve.facilities.selectors import default_date

    if not value:
        return default_date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: --date must be YYYY-MM-DD, not {value!r}", err=True)
        raise typer.Exit(2) from None


def _towns(code: str | None) -> list[str] | None:
    from equiserve.geography.models import Town

    if code is None:
        return None
    if not Town.objects.filter(code=code).exists():
        typer.echo(f"error: unknown town {code!r}", err=True)
        raise typer.Exit(2)
    return [code]


def _report(build):
    """Run a check, turning "no standard in force that day" into exit status 2."""
    from equiserve.facilities.standards import ParametersMissing

    try:
        return build()
    except ParametersMissing as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@standards_app.command("check")
def standards_check_command(
    town: str = typer.Option(
        None, "--town", help="Town code (9 digits); default: all."
    ),
    date: str = typer.Option(None, "--date", help="Day to check (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Check facilities against the plan's standards, per facility, village and town."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.facilities.selectors import standards_check

    day, towns = _parse_date(date), _towns(town)
    report = _report(lambda: standards_check(date=day, town_codes=towns))
    if as_json:
        _print_json(report.as_dict())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Standards on {report.date.isoformat()}")
    for column in (
        "town",
        "standard",
        "clause",
        "status",
        "short",
        "checked",
        "shortfall",
    ):
        table.add_column(column)
    for row in report.summary:
        table.add_row(
            row["town"] or "city",
            row["standard"],
            row["clause"],
            row["status"],
            str(row["short"]),
            str(row["subjects"]),
            f"{row['shortfall']} {row['unit']}",
        )
    console = Console()
    console.width = max(console.width, 120)
    console.print(table)


@access_app.command("fitness-circle")
def fitness_circle_command(
    town: str = typer.Option(
        None, "--town", help="Town code (9 digits); default: all."
    ),
    date: str = typer.Option(None, "--date", help="Day to measure (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Share of people within the fitness circle, by town, registration and age band."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.facilities.selectors import circle_as_dict, fitness_circle

    day, towns = _parse_date(date), _towns(town)
    data = _report(lambda: circle_as_dict(fitness_circle(date=day, town_codes=towns)))
    if as_json:
        _print_json(data)
        return
    method = data["method"]
    if data["detour_factor"]:
        method += f" × {data['detour_factor']}"
    typer.echo(
        f"{data['date']}: {data['minutes']:g} min {data['mode']} at "
        f"{data['speed_m_per_min']:g} m/min = {data['cutoff_m']:g} m ({method})"
    )
    for title, key, rows in (
        ("all", None, [data["total"]]),
        ("town", "town", data["by_town"]),
        ("hukou", "hukou", data["by_hukou"]),
        ("age band", "age_band", data["by_age_band"]),
    ):
        typer.echo(f"-- {title}")
        for row in rows:
            share = "—" if row["share"] is None else f"{row['share'] * 100:.1f}%"
            people = row["people"] if row["people"] is not None else row["records"]
            typer.echo(f"  {row[key] if key else 'all':>10}  {share:>7}  of {people:,}")


USER_OPTION = typer.Option(
    ..., "--user", help="The account the import is made as (its rights apply)."
)


def _actor(username: str):
    """Return the active user the command acts as, or stop with status 2."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        typer.echo(f"error: no active user {username!r}", err=True)
        raise typer.Exit(2)
    return actor


@access_app.command("network-import")
def network_import_command(path: Path, user: str = USER_OPTION) -> None:
    """Import a walkable road network (GraphML, or GeoJSON lines); it becomes current."""
    from equiserve.django_setup import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied

    from equiserve.accessibility import NetworkError
    from equiserve.facilities.services import road_network_import

    try:
        stored = road_network_import(
            content=path.read_bytes(), filename=path.name, actor=_actor(user)
        )
    except PermissionDenied:
        typer.echo(f"error: {user} may not import a road network", err=True)
        raise typer.Exit(1) from None
    except NetworkError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{stored.name}: {stored.node_count} nodes, {stored.edge_count} edges")


@facilities_app.command("import")
def import_command(path: Path, user: str = USER_OPTION) -> None:
    """Import facilities from CSV, XLSX or GeoJSON; all rows or none."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.facilities.services import facilities_import

    report = facilities_import(
        content=path.read_bytes(), filename=path.name, actor=_actor(user)
    )
    for line in report.lines():
        typer.echo(line, err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)


@facilities_app.command("export")
def export_command(
    path: Path,
    report: bool = typer.Option(
        False, "--report", help="Export the standards check and the circle instead."
    ),
    town: str = typer.Option(
        None, "--town", help="Town code (9 digits); default: all."
    ),
    date: str = typer.Option(None, "--date", help="Day of the report (YYYY-MM-DD)."),
) -> None:
    """Write the facility registry (or, with --report, the check) to an XLSX file."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.facilities import selectors
    from equiserve.facilities.exports import facilities_workbook, report_workbook

    towns = _towns(town)
    if report:
        day = _parse_date(date)
        content = _report(
            lambda: report_workbook(
                selectors.standards_check(date=day, town_codes=towns).as_dict(),
                selectors.circle_as_dict(
                    selectors.fitness_circle(date=day, town_codes=towns)
                ),
            )
        )
    else:
        content = facilities_workbook(selectors.facility_list(town_codes=towns))
    path.write_bytes(content)
    typer.echo(f"wrote {path}")


@facilities_app.command("demo")
def demo_command(
    seed: int = typer.Option(1, help="Seed of the demo facilities."),
) -> None:
    """Replace the synthetic facilities with the demo city's set."""
    from equiserve.django_setup import setup_django

    setup_django()
    from equiserve.facilities.services import facilities_demo_load

    counts = facilities_demo_load(seed=seed)
    typer.echo(f"{sum(counts.values())} synthetic facilities: {counts}")


def register(app: typer.Typer) -> None:
    app.add_typer(standards_app, name="standards")
    app.add_typer(access_app, name="access")
    app.add_typer(facilities_app, name="facilities")
